#pragma once
// An incremental parser of a text/event-stream body (the WHATWG "server-sent events" format):
// bytes go in as they arrive from the socket, split anywhere; complete events come out as soon
// as their terminating blank line has been seen. Lines end in CRLF, LF or CR (a CRLF split
// across two reads counts once); ':' lines are comments; several data lines join with '\n'.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::llm {

struct SseEvent {
  std::string event;  // the `event:` field; empty means "message"
  std::string data;
};

class SseParser {
 public:
  // A line or an event's data longer than this is a broken stream, not something to buffer.
  explicit SseParser(std::size_t max_event_bytes = 1u << 20) : max_event_bytes_(max_event_bytes) {}

  // Appends the events completed by `bytes` to `out` (which is not cleared). kResourceExhausted
  // once a line or an event's data exceeds the limit; the parser is then unusable.
  Status Feed(std::string_view bytes, std::vector<SseEvent>& out);

 private:
  Status ProcessLine(std::string_view line, std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;      // the current, unfinished line
  bool skip_lf_ = false;  // the previous read ended in CR: a leading LF belongs to it
  bool at_start_ = true;  // a UTF-8 BOM may open the stream
  bool failed_ = false;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
};

}  // namespace milkyhoop::llm
