#include "chat_call.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <exception>
#include <vector>

#include "address_policy.hpp"
#include "chat_protocol.hpp"
#include "milkyhoop/core/log.hpp"
#include "sse_parser.hpp"
#include "upstream_errors.hpp"

namespace milkyhoop::llm {
namespace {

constexpr std::size_t kReadChunkBytes = 4096;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr auto kAwait = asio::use_awaitable;

std::string JoinPath(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out + std::string(path);
}

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

std::string Millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

ChatCall::ChatCall(std::shared_ptr<ClientCore> core, ChatRequest request, bool streaming,
                   DeltaFn on_delta, DoneFn on_done)
    : core_(std::move(core)),
      request_(std::move(request)),
      streaming_(streaming),
      on_delta_(std::move(on_delta)),
      on_done_(std::move(on_done)),
      strand_(asio::make_strand(core_->io())),
      resolver_(strand_),
      watchdog_(strand_),
      backoff_timer_(strand_),
      rng_(static_cast<std::minstd_rand::result_type>(
          std::chrono::steady_clock::now().time_since_epoch().count())) {}

ChatCall::~ChatCall() = default;

void ChatCall::Start() {
  start_ = Clock::now();
  auto url = httpclient::ParseUrl(JoinPath(request_.endpoint.base_url, "/chat/completions"));
  if (!url.ok()) return FinishSoon(InvalidArgument("LLM base URL: " + url.status().message()));
  url_ = std::move(url).value();
  if (request_.messages.empty()) return FinishSoon(InvalidArgument("no messages to send"));
  if (request_.timeout.count() <= 0 || (streaming_ && request_.first_token_timeout.count() <= 0)) {
    return FinishSoon(InvalidArgument("LLM timeouts must be positive"));
  }
  if (url_.scheme == "https" && !core_->tls_status().ok()) {
    return FinishSoon(core_->tls_status());
  }
  id_ = core_->Admit(shared_from_this());
  if (id_ == 0) {
    return FinishSoon(ResourceExhausted("too many concurrent LLM streams (limit " +
                                        std::to_string(core_->options().max_concurrent_streams) +
                                        ")"));
  }
  request_body_ = BuildChatRequestBody(request_, streaming_);
  deadline_ = start_ + request_.timeout;
  first_token_deadline_ = streaming_ ? start_ + request_.first_token_timeout : deadline_;
  auto self = shared_from_this();
  asio::co_spawn(
      strand_, [self] { return self->Run(); },
      [self](std::exception_ptr e) {
        if (!e) return;
        // A throwing on_delta (or a bug) ends the request instead of the client thread.
        std::string what = "unexpected exception";
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          what = ex.what();
        } catch (...) {
        }
        self->Finish(Internal("LLM request failed: " + what));
      });
}

void ChatCall::Cancel() {
  cancel_requested_.store(true, std::memory_order_release);
  std::lock_guard lock(mu_);
  // Posting while holding the lock, before done_ is set, means the handler is queued while the
  // client still counts this request as in flight: its threads run it before they stop.
  if (done_ || cancel_posted_) return;
  cancel_posted_ = true;
  asio::post(strand_, [self = shared_from_this()] { self->AbortIo(Abort::kCancelled); });
}

asio::awaitable<void> ChatCall::Run() {
  ArmWatchdog();
  Status last;
  for (int attempt = 1;; ++attempt) {
    if (cancel_requested_.load(std::memory_order_acquire)) AbortIo(Abort::kCancelled);
    if (abort_ != Abort::kNone) break;
    attempts_ = attempt;
    finish_reason_.clear();
    usage_.reset();
    Outcome outcome = co_await Attempt();
    CloseSocket();
    tls_.reset();
    socket_.reset();
    if (outcome.status.ok()) {
      Finish(Status::Ok());
      co_return;
    }
    last = std::move(outcome.status);
    if (abort_ != Abort::kNone || !outcome.retryable || delivered_ ||
        attempt > request_.max_retries) {
      break;
    }
    const auto& options = core_->options();
    const auto delay = RetryDelay(attempt, options.initial_backoff, options.max_backoff,
                                  outcome.retry_after, rng_);
    // A retry that cannot deliver before the deadline only delays the caller's fallback.
    if (Clock::now() + delay >= std::min(deadline_, first_token_deadline_)) break;
    MH_LOG_DEBUG("retrying LLM request", {"attempt", attempt}, {"delay_ms", delay.count()},
                 {"reason", std::string_view(last.message())});
    beast::error_code ec;
    backoff_timer_.expires_after(delay);
    co_await backoff_timer_.async_wait(asio::redirect_error(kAwait, ec));
  }
  Finish(abort_ != Abort::kNone ? AbortStatus() : std::move(last));
}

asio::awaitable<ChatCall::Outcome> ChatCall::Attempt() {
  beast::error_code ec;
  connecting_ = true;
  connect_deadline_ = Clock::now() + core_->options().connect_timeout;
  ArmWatchdog();
  auto endpoints = co_await resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                                    asio::redirect_error(kAwait, ec));
  if (ec) co_return TransportFailure(ec, "resolve");
  if (!core_->options().allow_private_addresses) {
    for (const auto& entry : endpoints) {
      if (IsPrivateAddress(entry.endpoint().address())) {
        co_return Outcome{
            PermissionDenied("LLM upstream " + url_.host + " resolves to a " +
                             "private or loopback address, which this server " + "does not call"),
            false, std::nullopt};
      }
    }
  }
  socket_.emplace(strand_);
  co_await asio::async_connect(*socket_, endpoints, asio::redirect_error(kAwait, ec));
  if (ec) co_return TransportFailure(ec, "connect");
  socket_->set_option(tcp::no_delay(true), ec);
  if (url_.scheme == "http") {
    connecting_ = false;
    co_return co_await Exchange(*socket_);
  }
  tls_.emplace(std::move(*socket_), core_->tls());
  socket_.reset();
  SSL* ssl_handle = tls_->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
  if (url_.host_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, url_.host.c_str());
  } else {
    // SNI, and the certificate must name this host (wildcards in the left-most label only).
    SSL_set_tlsext_host_name(ssl_handle, url_.host.c_str());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, url_.host.c_str(), url_.host.size());
  }
  co_await tls_->async_handshake(ssl::stream_base::client, asio::redirect_error(kAwait, ec));
  if (ec) co_return TransportFailure(ec, "TLS handshake");
  connecting_ = false;
  co_return co_await Exchange(*tls_);
}

template <typename Stream>
asio::awaitable<ChatCall::Outcome> ChatCall::Exchange(Stream& stream) {
  const auto& options = core_->options();
  bhttp::request<bhttp::string_body> message{bhttp::verb::post, url_.target, 11};
  message.set(bhttp::field::host, url_.Authority());
  message.set(bhttp::field::user_agent, options.user_agent);
  message.set(bhttp::field::content_type, "application/json");
  message.set(bhttp::field::accept, streaming_ ? "text/event-stream" : "application/json");
  if (!request_.endpoint.api_key.empty()) {
    message.set(bhttp::field::authorization, "Bearer " + request_.endpoint.api_key);
  }
  message.body() = request_body_;
  message.prepare_payload();
  beast::error_code ec;
  co_await bhttp::async_write(stream, message, asio::redirect_error(kAwait, ec));
  if (ec) co_return TransportFailure(ec, "write");

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(std::max<std::size_t>(options.max_response_bytes, kMaxErrorBodyBytes));
  co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(kAwait, ec));
  if (ec) co_return TransportFailure(ec, "read");

  const int http_status = static_cast<int>(parser.get().result_int());
  if (!IsSuccess(http_status)) {
    // Read (some of) the error body for the message; a failure to read it changes nothing.
    std::string body;
    std::array<char, kReadChunkBytes> chunk;
    while (!parser.is_done() && body.size() < kMaxErrorBodyBytes) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      co_await bhttp::async_read_some(stream, buffer, parser, asio::redirect_error(kAwait, ec));
      body.append(chunk.data(), chunk.size() - parser.get().body().size);
      if (ec && ec != bhttp::error::need_buffer) break;
    }
    Outcome outcome;
    outcome.status = StatusForHttp(http_status, body, request_.endpoint.api_key);
    outcome.retryable = IsRetryableHttp(http_status);
    outcome.retry_after =
        ParseRetryAfter(parser.get()[bhttp::field::retry_after], std::chrono::system_clock::now());
    co_return outcome;
  }
  const std::string_view content_type = parser.get()[bhttp::field::content_type];
  if (streaming_ && content_type.find("text/event-stream") != std::string_view::npos) {
    co_return co_await ReadEventStream(stream, buffer, parser);
  }
  // Asked for a stream but got one JSON completion (a server that ignores "stream"), or asked
  // for a completion: read it whole.
  co_return co_await ReadCompletion(stream, buffer, parser);
}

template <typename Stream, typename Parser>
asio::awaitable<ChatCall::Outcome> ChatCall::ReadEventStream(Stream& stream,
                                                             beast::flat_buffer& buffer,
                                                             Parser& parser) {
  const std::size_t limit = core_->options().max_response_bytes;
  SseParser sse(limit);
  std::vector<SseEvent> events;
  std::array<char, kReadChunkBytes> chunk;
  std::size_t total = 0;
  beast::error_code ec;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    co_await bhttp::async_read_some(stream, buffer, parser, asio::redirect_error(kAwait, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    const std::size_t n = chunk.size() - parser.get().body().size;
    total += n;
    if (total > limit) {
      co_return Outcome{
          ResourceExhausted("LLM response larger than " + std::to_string(limit) + " bytes"), false,
          std::nullopt};
    }
    events.clear();
    if (Status parsed = sse.Feed(std::string_view(chunk.data(), n), events); !parsed.ok()) {
      co_return Outcome{Internal("malformed LLM event stream: " + parsed.message()), false,
                        std::nullopt};
    }
    for (SseEvent& event : events) {
      if (event.data == "[DONE]") co_return Outcome{};
      auto parsed = ParseStreamChunk(event.data);
      if (!parsed.ok()) {
        if (event.event == "error") co_return UpstreamErrorOutcome(0, event.data);
        co_return Outcome{parsed.status(), false, std::nullopt};
      }
      if (parsed->error)
        co_return UpstreamErrorOutcome(parsed->error->code, parsed->error->message);
      if (event.event == "error") co_return UpstreamErrorOutcome(0, event.data);
      if (parsed->usage) usage_ = parsed->usage;
      if (!parsed->finish_reason.empty()) finish_reason_ = std::move(parsed->finish_reason);
      if (!parsed->content.empty() && !Deliver(parsed->content)) {
        co_return Outcome{AbortStatus(), false, std::nullopt};
      }
    }
    if (ec) co_return TransportFailure(ec, "read");
  }
  // The body ended without [DONE]: complete if the server said why it stopped.
  if (!finish_reason_.empty()) co_return Outcome{};
  co_return Outcome{Unavailable("LLM stream from " + url_.host + " ended before it was complete"),
                    !delivered_, std::nullopt};
}

template <typename Stream, typename Parser>
asio::awaitable<ChatCall::Outcome> ChatCall::ReadCompletion(Stream& stream,
                                                            beast::flat_buffer& buffer,
                                                            Parser& parser) {
  const std::size_t limit = core_->options().max_response_bytes;
  std::string body;
  std::array<char, kReadChunkBytes> chunk;
  beast::error_code ec;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    co_await bhttp::async_read_some(stream, buffer, parser, asio::redirect_error(kAwait, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    body.append(chunk.data(), chunk.size() - parser.get().body().size);
    if (body.size() > limit) {
      co_return Outcome{
          ResourceExhausted("LLM response larger than " + std::to_string(limit) + " bytes"), false,
          std::nullopt};
    }
    if (ec) co_return TransportFailure(ec, "read");
  }
  auto completion = ParseCompletion(body);
  if (!completion.ok()) co_return Outcome{completion.status(), false, std::nullopt};
  if (completion->error) {
    co_return UpstreamErrorOutcome(completion->error->code, completion->error->message);
  }
  usage_ = completion->usage;
  finish_reason_ = std::move(completion->finish_reason);
  if (!completion->content.empty() && !Deliver(completion->content)) {
    co_return Outcome{AbortStatus(), false, std::nullopt};
  }
  co_return Outcome{};
}

ChatCall::Outcome ChatCall::TransportFailure(const beast::error_code& ec, std::string_view stage) {
  Outcome outcome;
  if (abort_ == Abort::kConnectTimeout) {
    // Only this attempt timed out connecting: another one may do better.
    abort_ = Abort::kNone;
    outcome.status =
        Unavailable("connecting to LLM upstream " + url_.host + ":" + std::to_string(url_.port) +
                    " timed out after " + Millis(core_->options().connect_timeout));
    outcome.retryable = true;
    return outcome;
  }
  if (abort_ != Abort::kNone) {
    outcome.status = AbortStatus();
    return outcome;
  }
  std::string detail = ec.message();
  bool retryable = !delivered_;
  if (ec.category() == asio::error::get_ssl_category()) {
    // OpenSSL's reason ("certificate verify failed") says more; a bad certificate stays bad.
    char reason[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), reason, sizeof(reason));
    detail = reason;
    retryable = false;
  }
  outcome.status = Unavailable("LLM upstream " + url_.host + ":" + std::to_string(url_.port) +
                               ": " + std::string(stage) + " failed" +
                               (delivered_ ? " mid-stream" : "") + ": " + detail);
  outcome.retryable = retryable;
  return outcome;
}

ChatCall::Outcome ChatCall::UpstreamErrorOutcome(int code, std::string_view message) {
  std::string text = "LLM upstream reported an error";
  if (code != 0) text += " (" + std::to_string(code) + ")";
  text += ": " + SummarizeBody(message, request_.endpoint.api_key);
  Outcome outcome;
  outcome.status = code == 429 ? ResourceExhausted(std::move(text)) : Unavailable(std::move(text));
  // Only a server-side (or rate) error before anything was delivered is worth another try.
  outcome.retryable = !delivered_ && IsRetryableHttp(code);
  return outcome;
}

Status ChatCall::AbortStatus() const {
  switch (abort_) {
    case Abort::kCancelled:
      return Status(StatusCode::kCancelled, "LLM request cancelled");
    case Abort::kFirstToken:
      return DeadlineExceeded("no first token from the LLM within " +
                              Millis(request_.first_token_timeout));
    case Abort::kTimeout:
      return DeadlineExceeded("LLM request exceeded its timeout of " + Millis(request_.timeout));
    case Abort::kConnectTimeout:
      return Unavailable("connecting to the LLM upstream timed out");
    case Abort::kNone:
      break;
  }
  return Status::Ok();
}

bool ChatCall::Deliver(std::string_view delta) {
  if (cancel_requested_.load(std::memory_order_acquire)) AbortIo(Abort::kCancelled);
  if (abort_ != Abort::kNone) return false;
  if (!delivered_) {
    delivered_ = true;
    first_token_latency_ =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
  }
  text_.append(delta);
  if (on_delta_) on_delta_(delta);
  if (cancel_requested_.load(std::memory_order_acquire)) AbortIo(Abort::kCancelled);
  return abort_ == Abort::kNone;
}

ChatCall::Clock::time_point ChatCall::CurrentDeadline() const {
  Clock::time_point at = deadline_;
  if (streaming_ && !delivered_) at = std::min(at, first_token_deadline_);
  if (connecting_) at = std::min(at, connect_deadline_);
  return at;
}

void ChatCall::ArmWatchdog() {
  watchdog_.expires_at(CurrentDeadline());
  watchdog_.async_wait([self = shared_from_this()](const beast::error_code& ec) {
    if (!ec) self->OnWatchdog();
  });
}

void ChatCall::OnWatchdog() {
  if (finished_) return;
  const auto now = Clock::now();
  if (now >= deadline_) return AbortIo(Abort::kTimeout);
  if (streaming_ && !delivered_ && now >= first_token_deadline_) return AbortIo(Abort::kFirstToken);
  if (connecting_ && now >= connect_deadline_) {
    connecting_ = false;
    AbortIo(Abort::kConnectTimeout);
  }
  ArmWatchdog();  // a deadline moved (first delta, connected): wait for the next one
}

void ChatCall::AbortIo(Abort reason) {
  // Cancellation and the request's own deadlines are final; a connect timeout is not.
  if (abort_ == Abort::kNone || abort_ == Abort::kConnectTimeout) abort_ = reason;
  resolver_.cancel();
  backoff_timer_.cancel();
  CloseSocket();
}

void ChatCall::CloseSocket() {
  beast::error_code ec;
  if (socket_ && socket_->is_open()) socket_->close(ec);
  if (tls_ && tls_->lowest_layer().is_open()) tls_->lowest_layer().close(ec);
}

void ChatCall::FinishSoon(Status status) {
  asio::post(strand_, [self = shared_from_this(), status = std::move(status)]() mutable {
    self->Finish(std::move(status));
  });
}

void ChatCall::Finish(Status status) {
  if (finished_) return;
  finished_ = true;
  watchdog_.cancel();
  resolver_.cancel();
  backoff_timer_.cancel();
  CloseSocket();
  ChatResult result;
  result.status = std::move(status);
  result.text = std::move(text_);
  result.finish_reason = std::move(finish_reason_);
  result.attempts = attempts_;
  result.first_token_latency = first_token_latency_;
  if (usage_ && (usage_->prompt_tokens > 0 || usage_->completion_tokens > 0)) {
    result.usage = *usage_;
  } else {
    std::size_t prompt_chars = 0;
    for (const auto& m : request_.messages) prompt_chars += m.content.size();
    result.usage = Usage{EstimateTokens(prompt_chars), EstimateTokens(result.text.size())};
    result.usage_estimated = true;
  }
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  DoneFn on_done = std::move(on_done_);
  on_delta_ = nullptr;
  if (id_ != 0) core_->ReleaseSlot();
  if (on_done) {
    try {
      on_done(std::move(result));
    } catch (const std::exception& e) {
      MH_LOG_ERROR("LLM on_done callback threw", {"error", e.what()});
    } catch (...) {
      MH_LOG_ERROR("LLM on_done callback threw");
    }
  }
  // Last: the client's shutdown waits for this, so every on_done has run before it stops.
  if (id_ != 0) core_->Unregister(id_);
}

}  // namespace milkyhoop::llm
