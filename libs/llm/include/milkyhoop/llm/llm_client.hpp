#pragma once
// Client for OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp, vLLM...): streamed
// over SSE and parsed incrementally, so each delta reaches the caller as soon as it arrives.
// Non-blocking: every request runs on the client's own io_context threads (never the caller's),
// one connection per request, with time limits on connect, first token and the whole request,
// a response size limit, and retries with backoff on connect errors, 429 and 5xx only while
// nothing has been delivered yet.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::llm {

struct Endpoint {
  std::string base_url;  // e.g. "http://127.0.0.1:8080/v1" or "https://api.openai.com/v1"
  std::string api_key;   // may be empty; sent as Authorization: Bearer; never logged
  std::string model;
};

struct ChatMessage {
  std::string role;  // "system" | "user" | "assistant"
  std::string content;
};

struct ChatRequest {
  Endpoint endpoint;
  std::vector<ChatMessage> messages;
  double temperature = 0.2;
  int max_tokens = 512;
  std::chrono::milliseconds timeout{8000};              // whole request
  std::chrono::milliseconds first_token_timeout{8000};  // until the first delta
  int max_retries = 2;  // on connect errors, 429 and 5xx, with backoff (Retry-After honoured,
                        // capped), ONLY before the first delta has been delivered
  // A JSON object sent as the request's "response_format" (e.g. {"type": "json_schema", …} for
  // output constrained to a schema); empty or not a JSON object: not sent.
  std::string response_format;
};

struct Usage {
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

struct ChatResult {
  Status status;     // Ok, or why it failed (kDeadlineExceeded, kUnavailable,
                     // kResourceExhausted for 429 after retries, kCancelled, kInternal
                     // for a malformed stream)
  std::string text;  // everything delivered (also on failure: the partial text)
  Usage usage;       // from the server's usage (stream_options.include_usage), else
                     // estimated (chars/4) and flagged
  bool usage_estimated = false;
  std::string finish_reason;
  int attempts = 0;
  std::chrono::microseconds first_token_latency{0};
};

class ChatStream {  // a handle on one in-flight streaming request
 public:
  virtual ~ChatStream() = default;
  virtual void Cancel() = 0;  // idempotent, any thread: closes the upstream socket promptly;
                              // on_done then runs with kCancelled
};

class LlmClient {
 public:
  struct Options {
    int io_threads = 1;                         // its own io_context threads: never the caller's
    std::size_t max_concurrent_streams = 4096;  // beyond → on_done(kResourceExhausted) at once
    std::size_t max_response_bytes = 1u << 20;
    std::string extra_ca_file;  // tests; system trust store always used for https
    // Resolving and connecting, per attempt (also bounded by the request's own limits).
    std::chrono::milliseconds connect_timeout{3000};
    // Retry delay: initial_backoff doubled per attempt, with jitter; a server's Retry-After is
    // honoured up to max_backoff, and no retry starts that could not finish before a deadline.
    std::chrono::milliseconds initial_backoff{250};
    std::chrono::milliseconds max_backoff{2000};
    std::string user_agent = "milkyhoop/1";
    // False: an upstream whose name resolves to a loopback, private, link-local (cloud
    // metadata), carrier-grade NAT, unique-local or unspecified address is refused before
    // connecting (kPermissionDenied), so a tenant's bot settings cannot reach the servers
    // around ours. Checked on the resolved addresses, so DNS tricks do not get past it.
    bool allow_private_addresses = true;
  };
  static std::unique_ptr<LlmClient> Create(Options options);
  // Cancels what is still in flight (each on_done runs with kCancelled), then joins its threads.
  virtual ~LlmClient() = default;
  // Starts a streaming chat completion (POST {base}/chat/completions with "stream": true).
  // on_delta runs on a client thread for each content delta AS SOON AS it is parsed from the SSE
  // stream (incremental parser: data lines split across TCP reads, CRLF/LF, comments, multi-line
  // events, [DONE]); on_done runs exactly once, last. Non-blocking: returns at once.
  // Requests refused before they start (too many streams, a bad URL) also get their on_done on
  // a client thread, never inside this call. A request's concurrency slot is free again by the
  // time its on_done runs.
  virtual std::shared_ptr<ChatStream> StreamChat(
      ChatRequest request, std::function<void(std::string_view delta)> on_delta,
      std::function<void(ChatResult)> on_done) = 0;
  // Blocking convenience for worker threads: non-streamed completion ("stream": false).
  // kFailedPrecondition when called from one of the client's own threads (it would deadlock).
  virtual ChatResult Complete(ChatRequest request) = 0;
};

}  // namespace milkyhoop::llm
