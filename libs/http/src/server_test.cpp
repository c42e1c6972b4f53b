#include "milkyhoop/http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/http/event_stream.hpp"
#include "milkyhoop/http/middlewares.hpp"

namespace milkyhoop::http {
namespace {

using namespace std::chrono_literals;

// A raw TCP client, so tests can send exactly the bytes a hostile client would.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(std::string_view bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }
  // Reads until `stop` is found in what was read, the peer closes, or the deadline passes.
  std::string ReadUntil(std::string_view stop, std::chrono::milliseconds deadline = 5s) {
    auto end = std::chrono::steady_clock::now() + deadline;
    while (stop.empty() || buffer_.find(stop) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left <= 0ms) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
    std::string out;
    out.swap(buffer_);
    return out;
  }
  // True when the server closed the connection before the deadline.
  bool WaitClosed(std::chrono::milliseconds deadline) {
    ReadUntil("", deadline);
    return closed_;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

// Records where and how often the middleware hooks ran, and can claim to block.
class ProbeMiddleware final : public Middleware {
 public:
  std::optional<Response> Before(Request&) override {
    ++before;
    before_thread = std::this_thread::get_id();
    return std::nullopt;
  }
  void After(const Request&, Response&) override { ++after; }
  bool MayBlock(const Request&) const override { return may_block; }

  std::atomic<int> before{0}, after{0};
  std::atomic<bool> may_block{false};
  std::thread::id before_thread;
};

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.blocking_threads = 2;
    Route ping;
    ping.method = "GET";
    ping.path = "/ping";
    ping.execution = Execution::kInline;
    ping.handler = [](Request&) { return Response::Json(200, "{\"pong\":true}"); };
    ASSERT_TRUE(router_.Add(ping).ok());

    Route echo;
    echo.method = "POST";
    echo.path = "/echo/{name}";
    echo.max_body_bytes = 64;
    echo.handler = [](Request& r) {
      return Response::Json(200, "{\"name\":\"" + r.Param("name") +
                                     "\",\"len\":" + std::to_string(r.body.size()) + "}");
    };
    ASSERT_TRUE(router_.Add(echo).ok());

    Route slow;
    slow.method = "GET";
    slow.path = "/slow";
    slow.handler = [this](Request&) {
      entered_.set_value();
      release_.get_future().wait();
      return Response::Json(200, "{\"done\":true}");
    };
    ASSERT_TRUE(router_.Add(slow).ok());

    Route sse;
    sse.method = "GET";
    sse.path = "/events";
    sse.handler = [this](Request&) {
      auto stream = std::make_shared<EventStream>();
      stream->OnCancel([this] { cancelled_ = true; });
      producer_ = std::thread([this, stream] {
        stream->Send("meta", "{\"n\":0}");
        next_.get_future().wait();  // the client must have seen the first event by now
        stream->Send("delta", "{\"text\":\"hai\"}");
        stream->Close();
      });
      return Response::Sse(stream);
    };
    ASSERT_TRUE(router_.Add(sse).ok());

    // Answered by its fast path when asked for ?hit, else by its handler on the pool.
    Route cached;
    cached.method = "GET";
    cached.path = "/cached";
    cached.fast_path = [this](Request& r) -> std::optional<Response> {
      ++fast_calls_;
      fast_thread_ = std::this_thread::get_id();
      if (!r.QueryParam("hit")) return std::nullopt;
      return Response::Json(200, "{\"from\":\"fast\"}");
    };
    cached.handler = [this](Request&) {
      handler_thread_ = std::this_thread::get_id();
      return Response::Json(200, "{\"from\":\"handler\"}");
    };
    ASSERT_TRUE(router_.Add(cached).ok());

    auto server = Server::Start(options, router_, {&context_, &probe_}, &registry_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (producer_.joinable()) producer_.join();
  }

  std::string Get(std::string_view target) {
    RawClient c(server_->port());
    c.Send("GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    return c.ReadUntil("}");
  }

  Router router_;
  RequestContextMiddleware context_;
  ProbeMiddleware probe_;
  std::atomic<int> fast_calls_{0};
  std::thread::id fast_thread_, handler_thread_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::promise<void> entered_, release_, next_;
  std::thread producer_;
  std::atomic<bool> cancelled_{false};
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  RawClient c(server_->port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    c.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string resp = c.ReadUntil("{\"pong\":true}");
    EXPECT_TRUE(resp.starts_with("HTTP/1.1 200 OK")) << resp;
    EXPECT_NE(resp.find("X-Request-Id: "), std::string::npos);
  }
}

TEST_F(ServerTest, UnknownRouteAndWrongMethodAreProblems) {
  StartServer();
  RawClient c(server_->port());
  c.Send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string resp = c.ReadUntil("}");
  EXPECT_TRUE(resp.starts_with("HTTP/1.1 404")) << resp;
  EXPECT_NE(resp.find("application/problem+json"), std::string::npos);
  c.Send("DELETE /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  resp = c.ReadUntil("}");
  EXPECT_TRUE(resp.starts_with("HTTP/1.1 405")) << resp;
  EXPECT_NE(resp.find("Allow: GET"), std::string::npos);
}

TEST_F(ServerTest, BodyOverTheRouteLimitIs413WithoutReadingIt) {
  StartServer();
  RawClient c(server_->port());
  c.Send("POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n");
  std::string resp = c.ReadUntil("}");
  EXPECT_TRUE(resp.starts_with("HTTP/1.1 413")) << resp;
  EXPECT_TRUE(c.WaitClosed(3s));
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  StartServer();
  RawClient c(server_->port());
  std::string chunk(100, 'x');
  c.Send("POST /echo/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + chunk +
         "\r\n0\r\n\r\n");
  EXPECT_TRUE(c.ReadUntil("}").starts_with("HTTP/1.1 413"));
}

TEST_F(ServerTest, SmallBodyIsServedWithPathParams) {
  StartServer();
  RawClient c(server_->port());
  c.Send("POST /echo/kopi HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  std::string resp = c.ReadUntil("}");
  EXPECT_NE(resp.find("{\"name\":\"kopi\",\"len\":5}"), std::string::npos) << resp;
}

TEST_F(ServerTest, HugeHeadersAre431) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  StartServer(o);
  RawClient c(server_->port());
  c.Send("GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_TRUE(c.ReadUntil("}").starts_with("HTTP/1.1 431"));
}

TEST_F(ServerTest, MalformedRequestLineIs400) {
  StartServer();
  RawClient c(server_->port());
  c.Send("GARBAGE\r\n\r\n");
  std::string resp = c.ReadUntil("}");
  EXPECT_TRUE(resp.starts_with("HTTP/1.1 400")) << resp;
  EXPECT_TRUE(c.WaitClosed(3s));
}

TEST_F(ServerTest, SlowClientIsCutOffAtTheReadTimeout) {
  ServerOptions o;
  o.read_timeout = 300ms;
  StartServer(o);
  RawClient c(server_->port());
  c.Send("GET /ping HTTP/1.1\r\n");  // and then nothing more, like a slowloris
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitClosed(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ServerTest, StreamsEventsAsTheyAreProduced) {
  StartServer();
  RawClient c(server_->port());
  c.Send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string first = c.ReadUntil("data: {\"n\":0}");
  EXPECT_NE(first.find("text/event-stream"), std::string::npos) << first;
  EXPECT_NE(first.find("event: meta"), std::string::npos) << first;
  EXPECT_EQ(first.find("delta"), std::string::npos);  // not produced yet: nothing buffered
  next_.set_value();
  std::string rest = c.ReadUntil("0\r\n\r\n");
  EXPECT_NE(rest.find("event: delta"), std::string::npos) << rest;
}

TEST_F(ServerTest, ShutdownDrainsInFlightRequests) {
  StartServer();
  RawClient c(server_->port());
  c.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered_.get_future().wait();
  auto done = std::async(std::launch::async, [this] { server_->Shutdown(); });
  // Shutdown waits for the request in flight...
  EXPECT_EQ(done.wait_for(100ms), std::future_status::timeout);
  release_.set_value();
  std::string resp = c.ReadUntil("}");
  EXPECT_TRUE(resp.starts_with("HTTP/1.1 200")) << resp;
  EXPECT_NE(resp.find("Connection: close"), std::string::npos) << resp;
  EXPECT_EQ(done.wait_for(5s), std::future_status::ready);
  // ...and no longer accepts.
  RawClient late(server_->port());
  EXPECT_FALSE(late.connected());
}

TEST_F(ServerTest, ConnectionsOverTheLimitGet503) {
  ServerOptions o;
  o.max_connections = 1;
  StartServer(o);
  RawClient a(server_->port());
  a.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(a.ReadUntil("}").starts_with("HTTP/1.1 200"));
  RawClient b(server_->port());
  EXPECT_TRUE(b.ReadUntil("}").starts_with("HTTP/1.1 503"));
}

TEST_F(ServerTest, AFastPathAnswersOnTheIoThreadWithTheMiddlewaresRunOnce) {
  StartServer();
  std::string resp = Get("/cached?hit=1");
  EXPECT_NE(resp.find("{\"from\":\"fast\"}"), std::string::npos) << resp;
  EXPECT_NE(resp.find("X-Request-Id: "), std::string::npos);  // After hooks ran
  EXPECT_EQ(handler_thread_, std::thread::id());              // the handler never ran
  EXPECT_EQ(fast_thread_, probe_.before_thread);              // no hop to the pool
  EXPECT_EQ(probe_.before.load(), 1);
  EXPECT_EQ(probe_.after.load(), 1);
}

TEST_F(ServerTest, AFastPathMissRunsTheHandlerOnThePoolOnce) {
  StartServer();
  std::string resp = Get("/cached");
  EXPECT_NE(resp.find("{\"from\":\"handler\"}"), std::string::npos) << resp;
  EXPECT_EQ(fast_calls_.load(), 1);
  EXPECT_NE(handler_thread_, probe_.before_thread);  // the handler left the I/O thread
  EXPECT_EQ(probe_.before.load(), 1);                // the middlewares did not run again
  EXPECT_EQ(probe_.after.load(), 1);
}

TEST_F(ServerTest, AMiddlewareThatMayBlockKeepsTheRequestOffTheIoThread) {
  StartServer();
  probe_.may_block = true;
  std::string resp = Get("/cached?hit=1");
  EXPECT_NE(resp.find("{\"from\":\"handler\"}"), std::string::npos) << resp;
  EXPECT_EQ(fast_calls_.load(), 0);
  EXPECT_EQ(handler_thread_, probe_.before_thread);  // both on the pool
}

TEST_F(ServerTest, MetricsCountRequestsByRouteAndStatus) {
  StartServer();
  RawClient c(server_->port());
  c.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  c.ReadUntil("}");
  c.Send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
  c.ReadUntil("}");
  std::string text = registry_.Render();
  EXPECT_NE(text.find("http_requests_total{route=\"/ping\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{route=\"unmatched\",method=\"any\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/ping\",method=\"GET\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::http
