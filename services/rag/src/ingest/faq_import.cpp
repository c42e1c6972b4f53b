#include "milkyhoop/rag/faq_import.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "csv_reader.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag {
namespace {

using ingest::CountCodePoints;
using ingest::IsValidUtf8;

// FAQ JSON is an array of flat objects; anything nested deeper is not ours, and refusing it
// early keeps a hostile "[[[[…" from costing anything.
constexpr int kMaxJsonDepth = 16;

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n\f\v") - b + 1);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Checks one field; the reason it is rejected, or nullopt.
std::optional<std::string> CheckField(std::string_view name, std::string_view value,
                                      std::size_t max_chars) {
  if (!IsValidUtf8(value)) return std::string(name) + " is not valid UTF-8";
  if (value.empty()) return std::string(name) + " is empty";
  if (CountCodePoints(value) > max_chars) {
    return std::string(name) + " is longer than " + std::to_string(max_chars) + " characters";
  }
  return std::nullopt;
}

// Adds the tags of "a; b|c" to `tags`: trimmed, empty ones dropped, duplicates (ignoring ASCII
// case) removed. The reason when one is invalid.
std::optional<std::string> AddTags(std::string_view list, std::vector<std::string>& tags) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find_first_of(";|", start);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view tag = Trim(list.substr(start, end - start));
    start = end + 1;
    if (tag.empty()) continue;
    if (!IsValidUtf8(tag)) return "a tag is not valid UTF-8";
    if (CountCodePoints(tag) > kMaxFaqTagChars) {
      return "a tag is longer than " + std::to_string(kMaxFaqTagChars) + " characters";
    }
    const std::string lower = Lower(tag);
    const bool seen = std::any_of(tags.begin(), tags.end(),
                                  [&](const std::string& t) { return Lower(t) == lower; });
    if (seen) continue;
    if (tags.size() == kMaxFaqTags) {
      return "more than " + std::to_string(kMaxFaqTags) + " tags";
    }
    tags.emplace_back(tag);
  }
  return std::nullopt;
}

// Validates and trims a row; appends it to `import` or records why it was rejected.
void AddRow(std::size_t line, std::string_view question, std::string_view answer,
            std::string_view tag_list, FaqImport& import) {
  FaqRow row;
  question = Trim(question);
  answer = Trim(answer);
  std::optional<std::string> reason = CheckField("question", question, kMaxFaqQuestionChars);
  if (!reason) reason = CheckField("answer", answer, kMaxFaqAnswerChars);
  if (!reason) reason = AddTags(tag_list, row.tags);
  if (reason) {
    import.rejected.push_back({line, std::move(*reason)});
    return;
  }
  row.question = std::string(question);
  row.answer = std::string(answer);
  import.rows.push_back(std::move(row));
}

Status CheckJsonDepth(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return InvalidArgument("JSON is nested too deeply");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return Status::Ok();
}

// The element's string field, or the reason it is not one.
std::optional<std::string> JsonString(const nlohmann::json& item, const char* key,
                                      std::string& out) {
  const auto it = item.find(key);
  if (it == item.end() || it->is_null()) return std::string(key) + " is missing";
  if (!it->is_string()) return std::string(key) + " must be a string";
  out = it->get<std::string>();
  return std::nullopt;
}

}  // namespace

Result<FaqImport> ParseFaqJson(std::string_view body, std::size_t max_rows) {
  MH_TRY(CheckJsonDepth(body));
  const nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr,
                                                   /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgument("body is not valid JSON");
  if (!doc.is_array())
    return InvalidArgument("FAQ import must be a JSON array of {question, answer}");
  if (doc.size() > max_rows) {
    return ResourceExhausted("import has " + std::to_string(doc.size()) + " rows; the limit is " +
                             std::to_string(max_rows));
  }
  FaqImport import;
  for (std::size_t k = 0; k < doc.size(); ++k) {
    const nlohmann::json& item = doc[k];
    const std::size_t line = k + 1;
    if (!item.is_object()) {
      import.rejected.push_back({line, "not an object with question and answer"});
      continue;
    }
    std::string question;
    std::string answer;
    std::string tags;
    std::optional<std::string> reason = JsonString(item, "question", question);
    if (!reason) reason = JsonString(item, "answer", answer);
    if (!reason) {
      if (const auto it = item.find("tags"); it != item.end() && !it->is_null()) {
        if (it->is_string()) {
          tags = it->get<std::string>();
        } else if (it->is_array() && std::all_of(it->begin(), it->end(),
                                                 [](const auto& t) { return t.is_string(); })) {
          // Joined with a separator AddTags splits on; a tag containing one is split too.
          for (const auto& t : *it) tags += t.get<std::string>() + "|";
        } else {
          reason = "tags must be an array of strings";
        }
      }
    }
    if (reason) {
      import.rejected.push_back({line, std::move(*reason)});
      continue;
    }
    AddRow(line, question, answer, tags, import);
  }
  return import;
}

Result<FaqImport> ParseFaqCsv(std::string_view body, std::size_t max_rows) {
  body = ingest::CsvReader::StripBom(body);
  ingest::CsvReader reader(body, ingest::CsvReader::SniffDelimiter(body));
  std::vector<std::string> fields;
  while (true) {
    MH_ASSIGN_OR_RETURN(const bool more, reader.Next(fields));
    if (!more) {
      return InvalidArgument("CSV is empty: expected a header with question and answer columns");
    }
    if (!ingest::IsBlankRecord(fields)) break;
  }
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t question_col = kNone;
  std::size_t answer_col = kNone;
  std::size_t tags_col = kNone;
  for (std::size_t k = 0; k < fields.size(); ++k) {
    const std::string name = Lower(Trim(fields[k]));
    if (name == "question" || name == "pertanyaan") question_col = k;
    if (name == "answer" || name == "jawaban") answer_col = k;
    if (name == "tags" || name == "tag") tags_col = k;
  }
  if (question_col == kNone || answer_col == kNone) {
    return InvalidArgument("CSV header must have question and answer columns");
  }
  FaqImport import;
  std::size_t rows = 0;
  auto field = [&](std::size_t col) -> std::string_view {
    return col < fields.size() ? std::string_view(fields[col]) : std::string_view();
  };
  while (true) {
    MH_ASSIGN_OR_RETURN(const bool more, reader.Next(fields));
    if (!more) break;
    if (ingest::IsBlankRecord(fields)) continue;
    if (++rows > max_rows) {
      return ResourceExhausted("import has more than " + std::to_string(max_rows) + " rows");
    }
    AddRow(reader.record_line(), field(question_col), field(answer_col), field(tags_col), import);
  }
  return import;
}

}  // namespace milkyhoop::rag
