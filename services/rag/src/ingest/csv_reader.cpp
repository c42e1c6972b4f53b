#include "csv_reader.hpp"

#include <array>

namespace milkyhoop::rag::ingest {

std::string_view CsvReader::StripBom(std::string_view data) {
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  return data;
}

char CsvReader::SniffDelimiter(std::string_view data) {
  constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  std::array<std::size_t, 3> counts{};
  bool quoted = false;
  for (const char c : data) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kCandidates.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

bool IsBlankRecord(const std::vector<std::string>& fields) {
  for (const std::string& f : fields) {
    if (f.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  std::size_t count = 0;
  auto next_field = [&]() -> std::string* {
    if (count == fields.size()) fields.emplace_back();
    std::string* f = &fields[count++];
    f->clear();
    return f;
  };
  std::string* field = next_field();
  bool quoted = false;
  bool at_field_start = true;
  while (pos_ < data_.size()) {
    const char c = data_[pos_];
    if (quoted) {
      // Copy the run up to the next quote in one go.
      const std::size_t q = data_.find('"', pos_);
      const std::size_t end = q == std::string_view::npos ? data_.size() : q;
      for (std::size_t k = pos_; k < end; ++k) line_ += data_[k] == '\n';
      field->append(data_.substr(pos_, end - pos_));
      pos_ = end;
      if (q == std::string_view::npos) break;
      if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
        field->push_back('"');  // an escaped quote
        pos_ += 2;
      } else {
        quoted = false;
        ++pos_;
      }
      continue;
    }
    if (c == '"' && at_field_start) {
      quoted = true;
      at_field_start = false;
      ++pos_;
      continue;
    }
    if (c == delimiter_) {
      if (count >= kMaxFields) {
        return InvalidArgument("CSV record on line " + std::to_string(record_line_) +
                               " has more than " + std::to_string(kMaxFields) + " fields");
      }
      field = next_field();
      at_field_start = true;
      ++pos_;
      continue;
    }
    if (c == '\n' || c == '\r') {
      pos_ += (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') ? 2 : 1;
      ++line_;
      fields.resize(count);
      return true;
    }
    // A run of plain characters.
    std::size_t end = pos_ + 1;
    while (end < data_.size() && data_[end] != delimiter_ && data_[end] != '\n' &&
           data_[end] != '\r' && data_[end] != '"') {
      ++end;
    }
    field->append(data_.substr(pos_, end - pos_));
    at_field_start = false;
    pos_ = end;
  }
  if (quoted) {
    return InvalidArgument("CSV has an unterminated quoted field starting on line " +
                           std::to_string(record_line_));
  }
  fields.resize(count);
  return true;
}

}  // namespace milkyhoop::rag::ingest
