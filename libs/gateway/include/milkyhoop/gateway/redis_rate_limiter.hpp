#pragma once
// The rate limiter over Redis: the same GCRA as the in-memory one, run atomically in Redis by
// one Lua script on Redis's own clock, so every gateway replica draws from the same buckets.
// When Redis cannot answer, requests are let through (fail open: availability first) or refused
// with 503-style retry advice (fail closed: protection first), as configured; each such decision
// is counted in milkyhoop_ratelimit_redis_failures_total.
#include <memory>
#include <string>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/gateway/rate_limiter.hpp"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::gateway {

struct RedisRateLimiterOptions {
  bool fail_open = true;
  std::string key_prefix = "milkyhoop:rl:";
};

// `redis` and `metrics` must outlive the limiter.
std::unique_ptr<RateLimiter> MakeRedisRateLimiter(redis::RedisClient& redis,
                                                  RedisRateLimiterOptions options,
                                                  metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::gateway
