#include "milkyhoop/http/server.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_set>

#include "asio.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/http/event_stream.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/http/websocket.hpp"
#include "response_wire.hpp"
#include "route_metrics.hpp"
#include "websocket_session.hpp"

namespace milkyhoop::http {
namespace {

using asio::awaitable;
using asio::use_awaitable;

// Runs `fn` on the blocking pool and resumes the coroutine on its own executor with the result.
template <typename Fn>
awaitable<Response> RunOnPool(asio::thread_pool& pool, Fn fn) {
  auto initiate = [&pool, fn = std::move(fn)](auto handler) mutable {
    asio::post(pool, [fn = std::move(fn), handler = std::move(handler)]() mutable {
      Response response = fn();
      auto ex = asio::get_associated_executor(handler);
      asio::dispatch(ex, [handler = std::move(handler), response = std::move(response)]() mutable {
        handler(std::move(response));
      });
    });
  };
  return asio::async_initiate<decltype(use_awaitable), void(Response)>(std::move(initiate),
                                                                       use_awaitable);
}

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

class ServerImpl;

// One io_context, its acceptor and its connections; only its own thread touches them.
struct Worker {
  asio::io_context ioc{1};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  struct Conn {
    beast::tcp_stream* stream;
    bool busy;
    std::shared_ptr<WebSocketChannel> websocket;  // set once the connection is a WebSocket
  };
  std::list<Conn> conns;  // stable iterators: each connection erases its own entry
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, const Router& router,
             std::vector<Middleware*> middlewares, metrics::Registry* registry)
      : options_(options),
        router_(router),
        middlewares_(std::move(middlewares)),
        pool_(static_cast<std::size_t>(std::max(1, options.blocking_threads))),
        route_metrics_(router, registry) {
    // Beast checks Content-Length against the limit while parsing the header, before the route
    // is known: read headers with the largest limit any route allows, then tighten per route.
    header_body_limit_ = options.max_body_bytes;
    for (const auto& r : router.routes()) {
      header_body_limit_ = std::max(header_body_limit_, r->max_body_bytes);
    }
    if (registry) {
      connections_gauge_ = registry->GetGauge("http_connections_active", "Open HTTP connections.");
      inflight_gauge_ = registry->GetGauge("http_requests_in_flight", "Requests being served.");
      rejected_ = registry->GetCounter("http_connections_rejected_total",
                                       "Connections refused over the max_connections limit.");
    }
  }

  ~ServerImpl() override { Shutdown(); }

  Status Bind() {
    int n = options_.io_threads > 0
                ? options_.io_threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return InvalidArgument("invalid listen host '" + options_.host + "'");
    std::uint16_t port = options_.port;
    for (int i = 0; i < n; ++i) {
      auto w = std::make_unique<Worker>();
      w->acceptor = std::make_unique<tcp::acceptor>(w->ioc);
      tcp::endpoint ep(address, port);
      w->acceptor->open(ep.protocol(), ec);
      if (!ec) w->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) {
        int one = 1;
        if (::setsockopt(w->acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one,
                         sizeof(one)) != 0) {
          ec = beast::error_code(errno, boost::system::system_category());
        }
      }
      if (!ec) w->acceptor->bind(ep, ec);
      if (!ec) w->acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(port) + ": " +
                           ec.message());
      }
      // Every worker after the first binds the port the first one got (port 0 → one port).
      port = w->acceptor->local_endpoint().port();
      workers_.push_back(std::move(w));
    }
    bound_port_ = port;
    for (auto& w : workers_) {
      Worker* wp = w.get();
      asio::co_spawn(wp->ioc, Accept(wp), asio::detached);
      wp->thread = std::thread([wp] { wp->ioc.run(); });
    }
    return Status::Ok();
  }

  std::uint16_t port() const override { return bound_port_; }
  std::string host() const override { return options_.host; }
  std::size_t active_connections() const override { return connections_.load(); }

  void Shutdown() override {
    if (shut_down_.exchange(true)) return;
    draining_.store(true);
    // 1. Stop accepting; close idle keep-alive connections.
    for (auto& w : workers_) {
      Worker* wp = w.get();
      asio::post(wp->ioc, [wp] {
        beast::error_code ec;
        wp->acceptor->close(ec);
        for (auto& c : wp->conns) {
          if (c.websocket) {
            c.websocket->Close(/*going_away=*/true);
          } else if (!c.busy) {
            c.stream->socket().close(ec);
          }
        }
      });
    }
    // 2. Let in-flight requests finish, up to the deadline.
    auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
    {
      std::unique_lock lock(drain_mu_);
      drain_cv_.wait_until(lock, deadline, [&] { return connections_.load() == 0; });
    }
    // 3. Cut whatever is left (a request past the deadline, a WebSocket whose client never
    //    answered the close), so no peer is left waiting on a socket nobody serves; give the
    //    sessions a moment to unwind, then stop the I/O threads and the blocking pool.
    if (connections_.load() > 0) {
      for (auto& w : workers_) {
        Worker* wp = w.get();
        asio::post(wp->ioc, [wp] {
          beast::error_code ec;
          for (auto& c : wp->conns) c.stream->socket().close(ec);
        });
      }
      std::unique_lock lock(drain_mu_);
      drain_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return connections_.load() == 0; });
    }
    for (auto& w : workers_) w->ioc.stop();
    for (auto& w : workers_) {
      if (w->thread.joinable()) w->thread.join();
    }
    pool_.join();
  }

 private:
  awaitable<void> Accept(Worker* w) {
    while (true) {
      beast::error_code ec;
      tcp::socket socket =
          co_await w->acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !w->acceptor->is_open()) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      if (draining_.load()) co_return;
      if (connections_.load() >= options_.max_connections) {
        if (rejected_) rejected_->Inc();
        static constexpr std::string_view kBusy =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
            "Connection: close\r\nContent-Length: 99\r\n\r\n"
            "{\"type\":\"urn:milkyhoop:problem:unavailable\",\"title\":\"Service Unavailable\","
            "\"status\":503,\"code\":\"unavailable\"}";
        beast::error_code ignored;
        socket.non_blocking(true, ignored);
        socket.write_some(asio::buffer(kBusy), ignored);
        socket.close(ignored);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(w->ioc, Session(w, std::move(socket)), asio::detached);
    }
  }

  void ConnectionOpened() {
    connections_.fetch_add(1);
    if (connections_gauge_) connections_gauge_->Add(1);
  }
  void ConnectionClosed() {
    if (connections_gauge_) connections_gauge_->Add(-1);
    if (connections_.fetch_sub(1) == 1 && draining_.load()) {
      std::lock_guard lock(drain_mu_);
      drain_cv_.notify_all();
    }
  }

  awaitable<void> WriteSimple(beast::tcp_stream& stream, const Response& r, bool keep_alive,
                              int version, bool head) {
    const std::string wire_head = ResponseHead(r, version, keep_alive);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(wire_head), asio::const_buffer()};
    if (ResponseCarriesBody(r, head)) buffers[1] = asio::buffer(r.body);
    stream.expires_after(options_.write_timeout);
    beast::error_code ec;
    co_await asio::async_write(stream, buffers, asio::redirect_error(use_awaitable, ec));
    if (ec) throw beast::system_error(ec);
  }

  awaitable<void> WriteStream(beast::tcp_stream& stream, const Response& r, int version) {
    bhttp::response<bhttp::empty_body> msg{static_cast<bhttp::status>(r.status), version};
    msg.set(bhttp::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) msg.set(k, v);
    msg.keep_alive(true);
    msg.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> sr{msg};
    stream.expires_after(options_.write_timeout);
    co_await bhttp::async_write_header(stream, sr, use_awaitable);

    auto executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor);
    std::weak_ptr<asio::steady_timer> weak = timer;
    r.stream->Attach([executor, weak] {
      asio::post(executor, [weak] {
        if (auto t = weak.lock()) t->cancel();
      });
    });
    struct Detach {
      EventStream& s;
      ~Detach() { s.Cancel(); }  // whatever ends the loop, the producer learns of it
    } detach{*r.stream};
    while (true) {
      EventStream::Batch batch = r.stream->Take();
      if (!batch.data.empty()) {
        stream.expires_after(options_.write_timeout);
        co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(batch.data)),
                                   use_awaitable);
        continue;  // more may have arrived while writing
      }
      if (batch.closed) break;
      timer->expires_after(options_.sse_ping_interval);
      beast::error_code ec;
      co_await timer->async_wait(asio::redirect_error(use_awaitable, ec));
      if (!ec) {
        // Idle: a comment keeps proxies from closing the stream and detects a gone client.
        static constexpr std::string_view kPing = ": ping\n\n";
        stream.expires_after(options_.write_timeout);
        co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(kPing)), use_awaitable);
      }
    }
    stream.expires_after(options_.write_timeout);
    co_await asio::async_write(stream, bhttp::make_chunk_last(), use_awaitable);
  }

  Response Dispatch(Request& req) {
    std::size_t ran = 0;
    std::optional<Response> early = RunBefore(req, ran);
    return Finish(req, early ? std::move(*early) : CallHandler(req, req.route->handler), ran);
  }

  // A route with a fast path, when no middleware would block for this request: the middlewares
  // and the fast path run here on the I/O thread, and only a request the fast path cannot
  // answer pays the hop to the blocking pool and back (most of such a request's cost).
  awaitable<Response> DispatchFastPathFirst(Request& req) {
    std::size_t ran = 0;
    std::optional<Response> resp = RunBefore(req, ran);
    if (!resp) resp = CallFastPath(req);
    if (!resp) {
      resp =
          co_await OnPool(req, [this, rp = &req] { return CallHandler(*rp, rp->route->handler); });
    }
    co_return Finish(req, std::move(*resp), ran);
  }

  bool AnyMiddlewareMayBlock(const Request& req) const {
    for (Middleware* m : middlewares_) {
      if (m->MayBlock(req)) return true;
    }
    return false;
  }

  // The Before hooks in order, until one answers; `ran` counts those whose After must run.
  std::optional<Response> RunBefore(Request& req, std::size_t& ran) {
    for (ran = 0; ran < middlewares_.size(); ++ran) {
      if (std::optional<Response> early = middlewares_[ran]->Before(req)) {
        ++ran;
        return early;
      }
    }
    return std::nullopt;
  }

  Response Finish(Request& req, Response resp, std::size_t ran) {
    for (auto& [k, v] : req.response_headers) resp.SetHeader(k, v);
    for (std::size_t i = ran; i-- > 0;) middlewares_[i]->After(req, resp);
    return resp;
  }

  // `fn` on the blocking pool, or 503 at once when too many requests already wait for it.
  template <typename Fn>
  awaitable<Response> OnPool(Request& req, Fn fn) {
    if (queued_blocking_.fetch_add(1) >= options_.max_queued_blocking) {
      queued_blocking_.fetch_sub(1);
      Response resp = Problem(503, code::kUnavailable, "server overloaded, retry shortly");
      resp.SetHeader("Retry-After", "1");
      co_return resp;
    }
    co_return co_await RunOnPool(pool_, [this, fn = std::move(fn)] {
      queued_blocking_.fetch_sub(1);
      return fn();
    });
  }

  template <typename Call>
  static auto Guarded(Request& req, Call call) -> decltype(call()) {
    log::ScopedContext ctx(req.request_id, req.trace_id);
    try {
      return call();
    } catch (const nlohmann::json::exception& e) {
      // A handler read a field with the wrong type: the client's input, not our bug.
      return Problem(400, code::kInvalidArgument, std::string("invalid request body: ") + e.what());
    } catch (const std::exception& e) {
      MH_LOG_ERROR("handler threw", {"route", req.route->path}, {"error", e.what()});
      return Problem(500, code::kInternal,
                     "internal error; see the server log for this request id");
    }
  }
  static Response CallHandler(Request& req, const Handler& handler) {
    return Guarded(req, [&] { return handler(req); });
  }
  static std::optional<Response> CallFastPath(Request& req) {
    return Guarded(req, [&] { return req.route->fast_path(req); });
  }

  awaitable<void> Session(Worker* w, tcp::socket socket) {
    ConnectionOpened();
    beast::tcp_stream stream(std::move(socket));
    w->conns.push_back({&stream, false, nullptr});
    auto self = std::prev(w->conns.end());
    std::string remote_ip;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote_ip = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    bool first = true;
    try {
      while (!draining_.load()) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
        parser.body_limit(header_body_limit_);
        self->busy = buffer.size() > 0;
        stream.expires_after(first || buffer.size() > 0 ? options_.read_timeout
                                                        : options_.idle_timeout);
        first = false;
        beast::error_code ec;
        co_await bhttp::async_read_header(stream, buffer, parser,
                                          asio::redirect_error(use_awaitable, ec));
        if (ec) {
          if (ec == bhttp::error::body_limit) {
            co_await WriteSimple(
                stream,
                Problem(413, code::kPayloadTooLarge,
                        "request body exceeds " + std::to_string(header_body_limit_) + " bytes"),
                false, 11, false);
          } else if (ec == bhttp::error::header_limit) {
            co_await WriteSimple(stream,
                                 Problem(431, code::kInvalidArgument, "request headers too large"),
                                 false, 11, false);
          } else if (IsParseError(ec)) {
            co_await WriteSimple(
                stream,
                Problem(400, code::kInvalidArgument, "malformed HTTP request: " + ec.message()),
                false, 11, false);
          }
          break;  // timeouts, resets, EOF: just close
        }
        self->busy = true;
        if (!co_await Serve(stream, buffer, parser, remote_ip, *self)) break;
      }
    } catch (const std::exception&) {
      // Write failures and timeouts mid-response: nothing to answer, close below.
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    w->conns.erase(self);
    ConnectionClosed();
  }

  // Serves one request; returns whether the connection may carry another.
  awaitable<bool> Serve(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                        bhttp::request_parser<bhttp::string_body>& parser,
                        const std::string& remote_ip, Worker::Conn& conn) {
    auto& header = parser.get();
    const int version = header.version();
    Request req;
    req.start = std::chrono::steady_clock::now();
    req.method = std::string_view(header.method_string().data(), header.method_string().size());
    req.target = std::string_view(header.target().data(), header.target().size());
    auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string_view::npos) req.query = req.target.substr(q + 1);
    req.remote_ip = remote_ip;
    req.headers.reserve(16);
    for (const auto& f : header) {
      req.headers.emplace_back(std::string_view(f.name_string().data(), f.name_string().size()),
                               std::string_view(f.value().data(), f.value().size()));
    }
    Router::Match match = router_.Find(req.method, req.path, req);
    req.route = match.route;
    const bool head = req.method == "HEAD";

    // The body limit of this route, enforced before the body is read.
    std::size_t limit = options_.max_body_bytes;
    if (match.route && match.route->max_body_bytes) limit = match.route->max_body_bytes;
    parser.body_limit(limit);
    auto content_length = parser.content_length();
    if (content_length && *content_length > limit) {
      Response r = Problem(413, code::kPayloadTooLarge,
                           "request body exceeds " + std::to_string(limit) + " bytes");
      FinishMetrics(req, r);
      co_await WriteSimple(stream, r, false, version, false);
      co_return false;
    }
    if (!parser.is_done()) {
      if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        co_await bhttp::async_write(stream, cont, use_awaitable);
      }
      stream.expires_after(options_.read_timeout);
      beast::error_code ec;
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::body_limit) {
        Response r = Problem(413, code::kPayloadTooLarge,
                             "request body exceeds " + std::to_string(limit) + " bytes");
        FinishMetrics(req, r);
        co_await WriteSimple(stream, r, false, version, false);
        co_return false;
      }
      if (ec) {
        if (IsParseError(ec)) {
          co_await WriteSimple(
              stream,
              Problem(400, code::kInvalidArgument, "malformed HTTP request body: " + ec.message()),
              false, version, false);
        }
        co_return false;
      }
    }
    req.body = parser.get().body();
    const bool keep_alive = parser.get().keep_alive();

    if (inflight_gauge_) inflight_gauge_->Add(1);
    Response resp;
    if (!match.route) {
      resp = Dispatch404(req, match);
    } else if (match.route->execution == Execution::kInline) {
      resp = Dispatch(req);
    } else if (match.route->fast_path && !AnyMiddlewareMayBlock(req)) {
      resp = co_await DispatchFastPathFirst(req);
    } else {
      resp = co_await OnPool(req, [this, rp = &req] { return Dispatch(*rp); });
    }
    if (inflight_gauge_) inflight_gauge_->Add(-1);
    if (resp.websocket && !IsWebSocketUpgrade(req)) {
      resp = Problem(426, code::kInvalidArgument, "this route needs a WebSocket upgrade");
      resp.SetHeader("Upgrade", "websocket");
    }
    FinishMetrics(req, resp);
    if (resp.websocket) {
      // The connection is the WebSocket's from here on; it never carries another request.
      conn.websocket = resp.websocket->channel;
      if (draining_.load()) resp.websocket->channel->Close(/*going_away=*/true);
      co_await RunWebSocket(stream, parser.release(), resp, pool_, WebSocketLimits{});
      co_return false;
    }
    const bool keep = keep_alive && !resp.close_connection && !draining_.load();
    if (resp.stream) {
      co_await WriteStream(stream, resp, version);
    } else {
      co_await WriteSimple(stream, resp, keep, version, head);
    }
    co_return keep;
  }

  // Unknown path or method: still runs the middleware chain (CORS preflight, request ids).
  Response Dispatch404(Request& req, const Router::Match& match) {
    Route fallback;
    std::optional<Response> early;
    std::size_t ran = 0;
    for (; ran < middlewares_.size(); ++ran) {
      early = middlewares_[ran]->Before(req);
      if (early) {
        ++ran;
        break;
      }
    }
    Response resp;
    if (early) {
      resp = std::move(*early);
    } else if (match.path_known) {
      resp = Problem(405, code::kMethodNotAllowed,
                     "method " + std::string(req.method) + " not allowed; allowed: " + match.allow);
      resp.SetHeader("Allow", match.allow);
    } else {
      resp = Problem(404, code::kNotFound, "no route for " + std::string(req.path));
    }
    for (std::size_t i = ran; i-- > 0;) middlewares_[i]->After(req, resp);
    return resp;
  }

  void FinishMetrics(const Request& req, const Response& resp) {
    auto elapsed = std::chrono::steady_clock::now() - req.start;
    route_metrics_.Record(req.route, resp.status, std::chrono::duration<double>(elapsed).count());
  }

  ServerOptions options_;
  const Router& router_;
  std::vector<Middleware*> middlewares_;
  asio::thread_pool pool_;
  RouteMetrics route_metrics_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::uint16_t bound_port_ = 0;
  std::size_t header_body_limit_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::atomic<int> queued_blocking_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> shut_down_{false};
  std::mutex drain_mu_;
  std::condition_variable drain_cv_;
  metrics::Gauge* connections_gauge_ = nullptr;
  metrics::Gauge* inflight_gauge_ = nullptr;
  metrics::Counter* rejected_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, const Router& router,
                                              std::vector<Middleware*> middlewares,
                                              metrics::Registry* metrics) {
  auto server = std::make_unique<ServerImpl>(options, router, std::move(middlewares), metrics);
  MH_TRY(server->Bind());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace milkyhoop::http
