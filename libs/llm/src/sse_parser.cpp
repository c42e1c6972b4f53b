#include "sse_parser.hpp"

#include <algorithm>

namespace milkyhoop::llm {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

Status SseParser::Feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (failed_) return ResourceExhausted("SSE stream already failed");
  if (at_start_ && !bytes.empty()) {
    // The BOM may itself arrive split: hold the first bytes until it is decidable.
    line_.append(bytes);
    if (line_.size() < kBom.size() && kBom.starts_with(line_)) return Status::Ok();
    at_start_ = false;
    std::string head = std::move(line_);
    line_.clear();
    std::string_view rest = head;
    if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
    return Feed(rest, out);
  }
  std::size_t pos = 0;
  if (skip_lf_ && !bytes.empty()) {
    if (bytes[0] == '\n') pos = 1;
    skip_lf_ = false;
  }
  while (pos < bytes.size()) {
    const std::size_t end = bytes.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(pos));
      if (line_.size() > max_event_bytes_) {
        failed_ = true;
        return ResourceExhausted("SSE line longer than " + std::to_string(max_event_bytes_));
      }
      return Status::Ok();
    }
    Status status;
    if (line_.empty()) {
      status = ProcessLine(bytes.substr(pos, end - pos), out);
    } else {
      line_.append(bytes.substr(pos, end - pos));
      status = ProcessLine(line_, out);
      line_.clear();
    }
    if (!status.ok()) {
      failed_ = true;
      return status;
    }
    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos < bytes.size()) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        skip_lf_ = true;
      }
    }
  }
  return Status::Ok();
}

Status SseParser::ProcessLine(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {  // dispatch
    if (has_data_) out.push_back({std::move(event_), std::move(data_)});
    event_.clear();
    data_.clear();
    has_data_ = false;
    return Status::Ok();
  }
  if (line.front() == ':') return Status::Ok();  // comment (keep-alive)
  const std::size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
    if (data_.size() > max_event_bytes_) {
      return ResourceExhausted("SSE event larger than " + std::to_string(max_event_bytes_));
    }
  } else if (field == "event") {
    event_.assign(value);
  }
  // "id" and "retry" matter to reconnecting browsers, not to a one-shot completion.
  return Status::Ok();
}

}  // namespace milkyhoop::llm
