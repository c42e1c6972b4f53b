#pragma once
// A scripted OpenAI-compatible upstream for the LLM client's tests: a plain blocking TCP server
// on 127.0.0.1 (port 0) whose handler writes exactly the bytes a test wants, when it wants them
// (deltas one by one, split anywhere, a drop mid-stream), and can watch the client hang up.
// One thread per connection; handlers must bound every wait.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace milkyhoop::llm::testing {

struct UpstreamRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class UpstreamConnection {
 public:
  explicit UpstreamConnection(int fd) : fd_(fd) {}
  const UpstreamRequest& request() const { return request_; }

  // Raw bytes; false once the client is gone.
  bool Write(std::string_view bytes);
  // "HTTP/1.1 <status>" with the given extra header lines ("Name: value"); chunked unless
  // `chunked` is false (then the body runs until the connection closes).
  bool WriteHead(int status, const std::vector<std::string>& headers = {}, bool chunked = true);
  // The usual head of an event stream.
  bool WriteStreamHead() { return WriteHead(200, {"Content-Type: text/event-stream"}); }
  // One chunk of a chunked body (nothing for an empty piece: that would end the body).
  bool WriteChunk(std::string_view data);
  // "data: <payload>\n\n" as one chunk.
  bool WriteEvent(std::string_view payload);
  // A chat.completion.chunk JSON with this delta content.
  bool WriteDelta(std::string_view content);
  bool EndChunks() { return Write("0\r\n\r\n"); }
  // A complete response with a Content-Length body.
  bool WriteResponse(int status, std::string_view content_type, std::string_view body,
                     const std::vector<std::string>& headers = {});
  // Waits for the client to close the connection (EOF or reset); false after `timeout`.
  bool WaitClientClosed(std::chrono::milliseconds timeout);

  bool ReadRequest();  // used by the server
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string buffered_;
  UpstreamRequest request_;
};

// JSON of one streamed chunk carrying `content` (escaped).
std::string DeltaJson(std::string_view content);

class ScriptedUpstream {
 public:
  using Handler = std::function<void(UpstreamConnection&)>;
  explicit ScriptedUpstream(Handler handler);
  ~ScriptedUpstream();
  ScriptedUpstream(const ScriptedUpstream&) = delete;
  ScriptedUpstream& operator=(const ScriptedUpstream&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int connections() const { return connections_.load(); }
  std::vector<UpstreamRequest> requests();

 private:
  void AcceptLoop();

  Handler handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<UpstreamRequest> requests_;
  std::vector<std::thread> workers_;
  std::thread accept_thread_;
};

// A one-shot latch with a deadline, for "the client has seen delta i" handshakes.
class Signal {
 public:
  void Notify();
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool set_ = false;
};

// Counts up; waiters wait for a value.
class Counter {
 public:
  void Increment();
  bool WaitAtLeast(int value, std::chrono::milliseconds timeout);
  int value();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int value_ = 0;
};

}  // namespace milkyhoop::llm::testing
