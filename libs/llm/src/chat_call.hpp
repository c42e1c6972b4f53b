#pragma once
// One chat completion in flight: a coroutine on its own strand of the client's io_context that
// connects, sends the request, parses the answer as it arrives and hands deltas to the caller,
// retrying (with backoff) what failed before anything was delivered. A single timer (the
// watchdog) enforces the connect, first-token and whole-request deadlines by closing the
// socket; Cancel() does the same from any thread.
#include "asio.hpp"  // first: see the note there

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "client_core.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/httpclient/url.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::llm {

class ChatCall final : public ChatStream, public std::enable_shared_from_this<ChatCall> {
 public:
  using DeltaFn = std::function<void(std::string_view)>;
  using DoneFn = std::function<void(ChatResult)>;

  // `streaming` false: a non-streamed completion ("stream": false) and no first-token limit.
  ChatCall(std::shared_ptr<ClientCore> core, ChatRequest request, bool streaming, DeltaFn on_delta,
           DoneFn on_done);
  ~ChatCall() override;

  // Validates, admits and starts the request on the client's threads; never blocks and never
  // runs a callback on the calling thread.
  void Start();
  void Cancel() override;

 private:
  using Clock = std::chrono::steady_clock;
  enum class Abort : std::uint8_t { kNone, kConnectTimeout, kFirstToken, kTimeout, kCancelled };
  struct Outcome {
    Status status;
    bool retryable = false;
    std::optional<std::chrono::milliseconds> retry_after;
  };

  asio::awaitable<void> Run();
  asio::awaitable<Outcome> Attempt();
  template <typename Stream>
  asio::awaitable<Outcome> Exchange(Stream& stream);
  template <typename Stream, typename Parser>
  asio::awaitable<Outcome> ReadEventStream(Stream& stream, beast::flat_buffer& buffer,
                                           Parser& parser);
  template <typename Stream, typename Parser>
  asio::awaitable<Outcome> ReadCompletion(Stream& stream, beast::flat_buffer& buffer,
                                          Parser& parser);

  Outcome TransportFailure(const beast::error_code& ec, std::string_view stage);
  Outcome UpstreamErrorOutcome(int code, std::string_view message);
  Status AbortStatus() const;
  // Hands one delta to the caller; false when the request was cancelled meanwhile.
  bool Deliver(std::string_view delta);

  Clock::time_point CurrentDeadline() const;
  void ArmWatchdog();
  void OnWatchdog();
  void AbortIo(Abort reason);
  void CloseSocket();
  void FinishSoon(Status status);  // from outside the strand
  void Finish(Status status);      // on the strand; runs on_done exactly once

  std::shared_ptr<ClientCore> core_;  // first: outlives the I/O objects below
  ChatRequest request_;
  const bool streaming_;
  DeltaFn on_delta_;
  DoneFn on_done_;
  asio::strand<asio::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  asio::steady_timer watchdog_;
  asio::steady_timer backoff_timer_;
  std::optional<tcp::socket> socket_;
  std::optional<ssl::stream<tcp::socket>> tls_;
  httpclient::Url url_;
  std::string request_body_;
  std::uint64_t id_ = 0;  // registry id; 0 = not admitted
  std::minstd_rand rng_;

  // Strand-only state.
  Abort abort_ = Abort::kNone;
  bool connecting_ = false;
  bool delivered_ = false;
  bool finished_ = false;
  int attempts_ = 0;
  Clock::time_point start_;
  Clock::time_point deadline_;
  Clock::time_point first_token_deadline_;
  Clock::time_point connect_deadline_;
  std::string text_;
  std::string finish_reason_;
  std::optional<Usage> usage_;
  std::chrono::microseconds first_token_latency_{0};

  // Cancel() from any thread.
  std::atomic<bool> cancel_requested_{false};
  std::mutex mu_;
  bool done_ = false;  // on_done has run: nothing more to cancel
  bool cancel_posted_ = false;
};

}  // namespace milkyhoop::llm
