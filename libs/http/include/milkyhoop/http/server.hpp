#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio C++20 coroutines, one io_context per I/O thread
// (SO_REUSEPORT), keep-alive, size limits and timeouts against slow or hostile clients, a
// bounded pool for blocking handlers, SSE streaming, graceful drain on shutdown.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/middleware.hpp"
#include "milkyhoop/http/router.hpp"

namespace milkyhoop::metrics {
class Registry;
}

namespace milkyhoop::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;  // 0 → a free port, see Server::port()
  int io_threads = 0;         // 0 → one per core
  int blocking_threads = 8;
  int max_queued_blocking = 2048;  // beyond this, blocking routes answer 503
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10'000};  // whole request (headers + body)
  std::chrono::milliseconds idle_timeout{60'000};  // between keep-alive requests
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds sse_ping_interval{15'000};
  std::size_t max_connections = 10'000;
  std::chrono::milliseconds drain_timeout{5'000};
};

class Server {
 public:
  virtual ~Server() = default;
  // Binds and starts serving. The router and middlewares must outlive the server.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, const Router& router,
                                               std::vector<Middleware*> middlewares,
                                               metrics::Registry* metrics);
  virtual std::uint16_t port() const = 0;
  virtual std::string host() const = 0;
  // Stops accepting, lets in-flight requests finish (up to drain_timeout), closes idle
  // connections, then stops the I/O threads. Idempotent.
  virtual void Shutdown() = 0;
  virtual std::size_t active_connections() const = 0;
};

}  // namespace milkyhoop::http
