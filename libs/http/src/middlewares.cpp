#include "milkyhoop/http/middlewares.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/http/route.hpp"

namespace milkyhoop::http {
namespace {

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>; all-zero ids invalid.
bool ParseTraceparent(std::string_view tp, std::string* trace_id, std::string* parent) {
  if (tp.size() < 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-') return false;
  std::string_view version = tp.substr(0, 2), trace = tp.substr(3, 32), span = tp.substr(36, 16);
  if (!IsLowerHex(version) || version == "ff" || !IsLowerHex(trace) || !IsLowerHex(span) ||
      !IsLowerHex(tp.substr(53, 2))) {
    return false;
  }
  if (version == "00" && tp.size() != 55) return false;
  if (trace == std::string(32, '0') || span == std::string(16, '0')) return false;
  *trace_id = std::string(trace);
  *parent = std::string(span);
  return true;
}

// Trace and span ids need uniqueness, not secrecy: a per-thread generator seeded from the
// CSPRNG saves two system-DRBG calls on every request.
std::string FastRandomHex(std::size_t bytes) {
  thread_local std::mt19937_64 gen = [] {
    std::string seed = RandomBytes(8);
    std::uint64_t v = 0;
    std::memcpy(&v, seed.data(), sizeof(v));
    return std::mt19937_64(v);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes * 2, '0');
  for (std::size_t i = 0; i < out.size(); i += 16) {
    std::uint64_t v = gen();
    for (std::size_t k = 0; k < 16 && i + k < out.size(); ++k, v >>= 4) out[i + k] = kHex[v & 0xF];
  }
  return out;
}

}  // namespace

RequestContextMiddleware::RequestContextMiddleware() : prefix_(RandomHex(6)) {}

std::optional<Response> RequestContextMiddleware::Before(Request& request) {
  std::string_view given = request.Header("x-request-id");
  if (IsSaneRequestId(given)) {
    request.request_id = std::string(given);
  } else {
    char buf[48];
    std::snprintf(
        buf, sizeof(buf), "%s-%012llx", prefix_.c_str(),
        static_cast<unsigned long long>(counter_.fetch_add(1, std::memory_order_relaxed)));
    request.request_id = buf;
  }
  if (!ParseTraceparent(request.Header("traceparent"), &request.trace_id,
                        &request.parent_span_id)) {
    request.trace_id = FastRandomHex(16);
  }
  request.span_id = FastRandomHex(8);
  return std::nullopt;
}

void RequestContextMiddleware::After(const Request& request, Response& response) {
  if (request.request_id.empty()) return;
  response.SetHeader("X-Request-Id", request.request_id);
  response.SetHeader("traceparent", "00-" + request.trace_id + "-" + request.span_id + "-01");
}

CorsMiddleware::CorsMiddleware(std::vector<std::string> allowed_origins)
    : origins_(std::move(allowed_origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool CorsMiddleware::Allowed(std::string_view origin) const {
  if (origin.empty()) return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::optional<Response> CorsMiddleware::Before(Request& request) {
  if (request.method != "OPTIONS" || !request.HasHeader("access-control-request-method")) {
    return std::nullopt;
  }
  std::string_view origin = request.Header("origin");
  Response r = Response::NoContent();
  if (Allowed(origin)) {
    r.SetHeader("Access-Control-Allow-Origin", any_ ? "*" : std::string(origin));
    r.SetHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    r.SetHeader("Access-Control-Allow-Headers",
                "Authorization, Content-Type, X-API-Key, Idempotency-Key, X-Request-Id, "
                "traceparent");
    r.SetHeader("Access-Control-Max-Age", "600");
    if (!any_) r.SetHeader("Vary", "Origin");
  }
  return r;
}

void CorsMiddleware::After(const Request& request, Response& response) {
  std::string_view origin = request.Header("origin");
  if (!Allowed(origin) || !response.Header("Access-Control-Allow-Origin").empty()) return;
  response.SetHeader("Access-Control-Allow-Origin", any_ ? "*" : std::string(origin));
  response.SetHeader("Access-Control-Expose-Headers",
                     "X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, "
                     "Retry-After, traceparent");
  if (!any_) response.SetHeader("Vary", "Origin");
}

void SecurityHeadersMiddleware::After(const Request&, Response& response) {
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
  if (response.Header("Content-Security-Policy").empty()) {
    response.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  if (response.Header("Cache-Control").empty()) response.SetHeader("Cache-Control", "no-store");
  if (hsts_) response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

void AccessLogMiddleware::After(const Request& request, Response& response) {
  if (request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics") return;
  if (!log::Enabled(log::Level::kInfo)) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - request.start)
                          .count();
  log::ScopedContext ctx(request.request_id, request.trace_id);
  log::Write(log::Level::kInfo, "request",
             {{"method", request.method},
              {"path", request.path},
              {"route", request.route ? std::string_view(request.route->path) : "unmatched"},
              {"status", response.status},
              {"duration_us", static_cast<std::int64_t>(micros)},
              {"bytes", static_cast<std::int64_t>(response.body.size())},
              {"ip", request.remote_ip}});
}

}  // namespace milkyhoop::http
