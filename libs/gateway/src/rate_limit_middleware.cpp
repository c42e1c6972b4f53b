#include "milkyhoop/gateway/rate_limit_middleware.hpp"

#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/http/route.hpp"

namespace milkyhoop::gateway {

bool RateLimitMiddleware::MayBlock(const http::Request& request) const {
  return request.route && request.route->rate_class != http::RateClass::kNone && limiter_.Remote();
}

std::optional<http::Response> RateLimitMiddleware::Before(http::Request& request) {
  if (!request.route) return std::nullopt;
  const RateLimit* limit = nullptr;
  std::string key;
  switch (request.route->rate_class) {
    case http::RateClass::kNone:
      return std::nullopt;
    case http::RateClass::kAuth:
      limit = &policy_.auth;
      key = "auth|ip|" + request.remote_ip;
      break;
    case http::RateClass::kPublicChat:
      limit = &policy_.public_chat;
      key = "chat|ip|" + request.remote_ip;
      break;
    case http::RateClass::kGeneral:
      limit = &policy_.general;
      if (request.principal) {
        key = request.principal->kind == http::Principal::Kind::kUser ? "gen|user|" : "gen|key|";
        key += request.principal->subject_id;
      } else {
        key = "gen|ip|" + request.remote_ip;
      }
      break;
  }
  RateDecision d = limiter_.Check(key, *limit);
  request.response_headers.emplace_back("RateLimit-Limit", std::to_string(d.limit));
  request.response_headers.emplace_back("RateLimit-Remaining", std::to_string(d.remaining));
  request.response_headers.emplace_back("RateLimit-Reset", std::to_string(d.reset_seconds));
  if (d.allowed) return std::nullopt;
  http::Response r = http::Problem(
      429, http::code::kRateLimited,
      "rate limit exceeded; retry in " + std::to_string(d.retry_after_seconds) + " s");
  r.SetHeader("Retry-After", std::to_string(std::max<std::int64_t>(1, d.retry_after_seconds)));
  for (auto& [k, v] : request.response_headers) r.SetHeader(k, v);
  return r;
}

}  // namespace milkyhoop::gateway
