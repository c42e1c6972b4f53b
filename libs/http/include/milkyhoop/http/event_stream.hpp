#pragma once
// A Server-Sent Events stream. Producers on any thread Send() events; the connection writes
// each one as soon as it arrives (no buffering of the whole answer). When the client goes away
// the stream is cancelled and the producer's cancel callback runs, so upstream work can stop.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace milkyhoop::http {

class EventStream {
 public:
  explicit EventStream(std::size_t max_buffered_bytes = 1 << 20)
      : max_buffered_bytes_(max_buffered_bytes) {}

  // Formats one event (`event:` line only when `event` is non-empty; multi-line data split
  // into several `data:` lines). Returns false when the stream is cancelled or closed, or the
  // client is too slow to keep up (then the stream is cancelled).
  bool Send(std::string_view event, std::string_view data);
  // A comment line (": text"), used for keep-alive pings.
  bool Comment(std::string_view text);
  // No more events; the connection finishes the response once the buffer is written.
  void Close();
  bool cancelled() const;
  // Runs once, on the thread that detects the disconnect, when the client goes away.
  void OnCancel(std::function<void()> callback);

  // --- connection side ---
  void Attach(std::function<void()> wake);
  struct Batch {
    std::string data;
    bool closed = false;
  };
  Batch Take();
  void Cancel();

 private:
  bool Append(std::string chunk);

  mutable std::mutex mu_;
  std::string buffer_;
  std::size_t max_buffered_bytes_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::function<void()> wake_;
  std::function<void()> on_cancel_;
};

}  // namespace milkyhoop::http
