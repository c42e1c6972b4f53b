// WebSocket connections through the real server, driven by Beast's own WebSocket client.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <thread>

#include "asio.hpp"
#include "milkyhoop/http/server.hpp"
#include "milkyhoop/http/websocket.hpp"

namespace milkyhoop::http {
namespace {

namespace websocket = beast::websocket;
using namespace std::chrono_literals;

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Route echo;
    echo.method = "GET";
    echo.path = "/ws";
    echo.handler = [this](Request& request) {
      if (!IsWebSocketUpgrade(request)) return Response::Json(426, "{}");
      auto session = std::make_shared<WebSocketSession>();
      session->max_message_bytes = 1024;
      std::weak_ptr<WebSocketChannel> weak = session->channel;
      session->channel->OnClose([this] { closed_.fetch_add(1); });
      session->on_message = [this, weak](std::string_view text) {
        auto channel = weak.lock();
        if (!channel) return;
        if (text == "bye") {
          channel->Send("later");
          channel->Close();
          return;
        }
        if (text == "two") {
          // From another thread, as a streaming answer would.
          std::thread([channel] {
            channel->Send("one");
            channel->Send("two");
          }).join();
          return;
        }
        channel->Send("echo: " + std::string(text));
        messages_.fetch_add(1);
      };
      return Response::WebSocket(session);
    };
    ASSERT_TRUE(router_.Add(echo).ok());
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.blocking_threads = 2;
    options.drain_timeout = 2s;
    auto server = Server::Start(options, router_, {}, nullptr);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  // A connected, handshaken client.
  std::unique_ptr<websocket::stream<tcp::socket>> Connect() {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(ioc_);
    ws->next_layer().connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    ws->handshake("127.0.0.1", "/ws");
    ws->text(true);
    return ws;
  }

  static std::string Read(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }

  bool WaitFor(const std::atomic<int>& counter, int value) {
    for (int i = 0; i < 500 && counter.load() < value; ++i) std::this_thread::sleep_for(10ms);
    return counter.load() >= value;
  }

  asio::io_context ioc_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::atomic<int> closed_{0};
  std::atomic<int> messages_{0};
};

TEST_F(WebSocketTest, MessagesAreAnsweredInOrder) {
  auto ws = Connect();
  ws->write(asio::buffer(std::string("satu")));
  ws->write(asio::buffer(std::string("dua")));
  EXPECT_EQ(Read(*ws), "echo: satu");
  EXPECT_EQ(Read(*ws), "echo: dua");
  ws->write(asio::buffer(std::string("two")));
  EXPECT_EQ(Read(*ws), "one");
  EXPECT_EQ(Read(*ws), "two");
  ws->close(websocket::close_code::normal);
  EXPECT_TRUE(WaitFor(closed_, 1)) << "the handler learns that the client left";
}

TEST_F(WebSocketTest, TheServerClosesAfterItsLastFrames) {
  auto ws = Connect();
  ws->write(asio::buffer(std::string("bye")));
  EXPECT_EQ(Read(*ws), "later");
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws->reason().code, websocket::close_code::normal);
  EXPECT_TRUE(WaitFor(closed_, 1));
}

TEST_F(WebSocketTest, ATooLargeMessageClosesTheConnection) {
  auto ws = Connect();
  ws->write(asio::buffer(std::string(2000, 'x')));
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  // The server fails the connection: a "too big" close frame, then the socket goes (the client
  // may see either first, as the rest of its message is still unread on the server).
  ASSERT_TRUE(ec);
  if (ec == websocket::error::closed) {
    EXPECT_EQ(ws->reason().code, websocket::close_code::too_big);
  }
  EXPECT_EQ(messages_.load(), 0);
  EXPECT_TRUE(WaitFor(closed_, 1));
}

TEST_F(WebSocketTest, BinaryFramesAreRefused) {
  auto ws = Connect();
  ws->binary(true);
  ws->write(asio::buffer(std::string("\x01\x02", 2)));
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(messages_.load(), 0);
}

TEST_F(WebSocketTest, APlainRequestGets426) {
  tcp::socket socket(ioc_);
  socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/ws", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(socket, req);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res);
  EXPECT_EQ(res.result_int(), 426);
}

TEST_F(WebSocketTest, AClientThatVanishesEndsTheSession) {
  {
    auto ws = Connect();
    ws->write(asio::buffer(std::string("halo")));
    EXPECT_EQ(Read(*ws), "echo: halo");
    ws->next_layer().close();  // no close frame
  }
  EXPECT_TRUE(WaitFor(closed_, 1));
}

TEST_F(WebSocketTest, ShutdownEndsOpenSessions) {
  auto ws = Connect();
  ws->write(asio::buffer(std::string("halo")));
  EXPECT_EQ(Read(*ws), "echo: halo");
  // A real client is always reading, and so answers the server's close frame.
  beast::error_code read_error;
  std::thread reader([&] {
    beast::flat_buffer buffer;
    ws->read(buffer, read_error);
  });
  const auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  // Closed with "going away" at once, not cut when the drain deadline ends.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  reader.join();
  EXPECT_EQ(read_error, websocket::error::closed);
  EXPECT_EQ(ws->reason().code, websocket::close_code::going_away);
  EXPECT_TRUE(WaitFor(closed_, 1));
}

TEST_F(WebSocketTest, AClientThatNeverAnswersTheCloseIsCutAtTheDrainDeadline) {
  auto ws = Connect();
  ws->write(asio::buffer(std::string("halo")));
  EXPECT_EQ(Read(*ws), "echo: halo");
  server_->Shutdown();  // the client reads nothing meanwhile: the close handshake cannot finish
  EXPECT_TRUE(WaitFor(closed_, 1)) << "the session ended with the server";
  // The close frame is waiting for the client, then the socket is gone; nothing hangs.
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_TRUE(ec);
}

TEST(WebSocketChannelTest, ASlowReaderIsCutOffInsteadOfBufferingWithoutBound) {
  WebSocketChannel channel(100);
  EXPECT_TRUE(channel.Send(std::string(60, 'a')));
  EXPECT_FALSE(channel.Send(std::string(60, 'b')));
  EXPECT_TRUE(channel.closed());
  auto batch = channel.Take();
  EXPECT_TRUE(batch.frames.empty());
  EXPECT_TRUE(batch.close);
}

TEST(WebSocketChannelTest, OnCloseRunsOnceEvenWhenSetLate) {
  WebSocketChannel channel;
  int runs = 0;
  channel.OnClose([&] { ++runs; });
  channel.Ended();
  channel.Ended();
  EXPECT_EQ(runs, 1);
  int late = 0;
  channel.OnClose([&] { ++late; });
  EXPECT_EQ(late, 1);
  EXPECT_FALSE(channel.Send("x"));
}

}  // namespace
}  // namespace milkyhoop::http
