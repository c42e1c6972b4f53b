#include "websocket_session.hpp"

#include <boost/beast/websocket.hpp>
#include <functional>
#include <memory>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/http/websocket.hpp"

namespace milkyhoop::http {
namespace {

namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using WsStream = websocket::stream<beast::tcp_stream&>;

// Runs `fn` on the blocking pool; resumes on the caller's executor.
awaitable<void> OnPool(asio::thread_pool& pool, std::function<void()> fn) {
  auto initiate = [&pool, fn = std::move(fn)](auto handler) mutable {
    asio::post(pool, [fn = std::move(fn), handler = std::move(handler)]() mutable {
      fn();
      auto ex = asio::get_associated_executor(handler);
      asio::dispatch(ex, [handler = std::move(handler)]() mutable { handler(); });
    });
  };
  return asio::async_initiate<decltype(use_awaitable), void()>(std::move(initiate), use_awaitable);
}

// Shared by the reader and the writer, which run on the connection's one thread.
struct Shared {
  explicit Shared(const asio::any_io_executor& ex) : wake(ex), writer_done(ex) {}
  asio::steady_timer wake;         // cancelled when the channel has something to write
  asio::steady_timer writer_done;  // cancelled when the writer has finished
  bool reader_done = false;
  bool writer_finished = false;
};

awaitable<void> Writer(WsStream& ws, std::shared_ptr<WebSocketChannel> channel,
                       std::shared_ptr<Shared> shared) {
  beast::error_code ec;
  while (!shared->reader_done) {
    WebSocketChannel::Batch batch = channel->Take();
    for (const std::string& frame : batch.frames) {
      co_await ws.async_write(asio::buffer(frame), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    if (ec) break;
    if (batch.close) {
      co_await ws.async_close(
          batch.going_away ? websocket::close_code::going_away : websocket::close_code::normal,
          asio::redirect_error(use_awaitable, ec));
      break;
    }
    if (!batch.frames.empty()) continue;  // more may have come while writing
    shared->wake.expires_at(asio::steady_timer::time_point::max());
    co_await shared->wake.async_wait(asio::redirect_error(use_awaitable, ec));
    ec = {};
  }
  if (ec && !shared->reader_done) {
    // A write failed: the connection is unusable; the reader's pending read fails too.
    beast::get_lowest_layer(ws).socket().close(ec);
  }
  shared->writer_finished = true;
  shared->writer_done.cancel();
}

}  // namespace

awaitable<void> RunWebSocket(beast::tcp_stream& stream, bhttp::request<bhttp::string_body> request,
                             const Response& accepted, asio::thread_pool& pool,
                             const WebSocketLimits& limits) {
  std::shared_ptr<WebSocketSession> session = accepted.websocket;
  std::shared_ptr<WebSocketChannel> channel = session->channel;
  struct EndChannel {
    WebSocketChannel& c;
    ~EndChannel() { c.Ended(); }  // whatever ends the connection, the handler learns of it
  } end_channel{*channel};

  stream.expires_never();  // the WebSocket's own timeouts take over
  WsStream ws(stream);
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = limits.handshake_timeout;
  timeouts.idle_timeout = limits.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.read_message_max(session->max_message_bytes);
  ws.set_option(websocket::stream_base::decorator([&accepted](websocket::response_type& res) {
    for (const auto& [k, v] : accepted.headers) res.set(k, v);
  }));
  beast::error_code ec;
  co_await ws.async_accept(request, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;
  ws.text(true);

  auto executor = co_await asio::this_coro::executor;
  auto shared = std::make_shared<Shared>(executor);
  std::weak_ptr<Shared> weak = shared;
  channel->Attach([executor, weak] {
    asio::post(executor, [weak] {
      if (auto s = weak.lock()) s->wake.cancel();
    });
  });
  asio::co_spawn(executor, Writer(ws, channel, shared), asio::detached);

  beast::flat_buffer buffer;
  while (true) {
    co_await ws.async_read(buffer, asio::redirect_error(use_awaitable, ec));
    if (ec) break;  // closed by the client, timed out, too large, or the writer closed it
    if (!ws.got_text()) {
      // Text frames only. The writer sends the close frame (one write at a time on a
      // WebSocket); reading goes on until the client answers it.
      buffer.consume(buffer.size());
      channel->Close();
      continue;
    }
    std::string text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    if (session->on_message) {
      // A named job, not a temporary in the co_await expression: GCC 12 relocates such
      // temporaries' captures wrongly.
      std::function<void()> job = [session, text = std::move(text)] {
        try {
          session->on_message(text);
        } catch (const std::exception& e) {
          MH_LOG_ERROR("websocket handler threw", {"error", e.what()});
          session->channel->Close();
        }
      };
      co_await OnPool(pool, std::move(job));
    }
  }
  // (A message over read_message_max fails the read; Beast itself sends the "too big" close.)
  // Stop the writer and wait for it: it uses `ws`, which lives in this frame.
  shared->reader_done = true;
  channel->Ended();
  shared->wake.cancel();
  if (!shared->writer_finished) {
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().cancel(ignored);  // a write stuck on a slow client
    shared->writer_done.expires_at(asio::steady_timer::time_point::max());
    co_await shared->writer_done.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
}

}  // namespace milkyhoop::http
