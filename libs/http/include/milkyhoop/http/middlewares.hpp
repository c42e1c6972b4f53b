#pragma once
// The standard middlewares of the gateway.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "milkyhoop/http/middleware.hpp"

namespace milkyhoop::http {

// X-Request-Id (echoed when the client's is sane, else generated) and W3C trace context
// (traceparent honoured: same trace id, a new span id; generated when absent or malformed).
class RequestContextMiddleware final : public Middleware {
 public:
  RequestContextMiddleware();
  std::optional<Response> Before(Request& request) override;
  void After(const Request& request, Response& response) override;

 private:
  std::string prefix_;  // random per process, so ids from several replicas do not collide
  std::atomic<std::uint64_t> counter_{0};
};

// CORS for the configured origins ("*" allows any origin without credentials). Preflight
// requests are answered here.
class CorsMiddleware final : public Middleware {
 public:
  explicit CorsMiddleware(std::vector<std::string> allowed_origins);
  std::optional<Response> Before(Request& request) override;
  void After(const Request& request, Response& response) override;

 private:
  bool Allowed(std::string_view origin) const;
  std::vector<std::string> origins_;
  bool any_ = false;
};

// Conservative security headers on every response; a route may set its own CSP (e.g. /docs).
class SecurityHeadersMiddleware final : public Middleware {
 public:
  explicit SecurityHeadersMiddleware(bool hsts) : hsts_(hsts) {}
  void After(const Request& request, Response& response) override;

 private:
  bool hsts_;
};

// One JSON line per request: method, path (never the query: it may hold tokens), route,
// status, duration, bytes, ip. Health probes (/healthz, /readyz, /metrics) are not logged.
class AccessLogMiddleware final : public Middleware {
 public:
  void After(const Request& request, Response& response) override;
};

}  // namespace milkyhoop::http
