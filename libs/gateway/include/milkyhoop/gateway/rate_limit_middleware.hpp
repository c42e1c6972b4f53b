#pragma once
// The gateway's rate-limit hook: one GCRA bucket per caller and route class (per user, per API
// key, else per IP; auth routes per IP with a stricter limit). Adds RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset to every limited response; 429 + Retry-After beyond.
#include "milkyhoop/gateway/rate_limiter.hpp"
#include "milkyhoop/http/middleware.hpp"

namespace milkyhoop::gateway {

struct RateLimitPolicy {
  RateLimit general{100, std::chrono::minutes(1)};
  RateLimit auth{10, std::chrono::minutes(1)};
  RateLimit public_chat{30, std::chrono::minutes(1)};
};

class RateLimitMiddleware final : public http::Middleware {
 public:
  RateLimitMiddleware(RateLimiter& limiter, RateLimitPolicy policy)
      : limiter_(limiter), policy_(policy) {}
  std::optional<http::Response> Before(http::Request& request) override;
  bool MayBlock(const http::Request& request) const override;

 private:
  RateLimiter& limiter_;
  RateLimitPolicy policy_;
};

}  // namespace milkyhoop::gateway
