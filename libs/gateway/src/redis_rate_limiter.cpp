// MakeRedisRateLimiter (redis_rate_limiter.hpp).
#include "milkyhoop/gateway/redis_rate_limiter.hpp"

#include <chrono>

#include "milkyhoop/core/log.hpp"

namespace milkyhoop::gateway {
namespace {

// GCRA on one key: the stored value is the theoretical arrival time (TAT) in microseconds of
// Redis's clock. Returns {allowed, tat_after - now, retry_after}, all in microseconds; the key
// expires once its bucket would be full again, so idle keys cost nothing.
constexpr const char* kGcraLua = R"lua(
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + interval
if new_tat - now > period then
  return {0, tat - now, new_tat - period - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.floor((new_tat - now) / 1000) + 1)
return {1, new_tat - now, 0}
)lua";

const redis::Script& GcraScript() {
  static const redis::Script script(kGcraLua);
  return script;
}

std::int64_t CeilSeconds(std::int64_t micros) {
  return micros <= 0 ? 0 : (micros + 999'999) / 1'000'000;
}

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(redis::RedisClient& redis, RedisRateLimiterOptions options,
                   metrics::Registry* metrics)
      : redis_(redis), options_(std::move(options)) {
    if (metrics) {
      failures_ = metrics->GetCounter(
          "milkyhoop_ratelimit_redis_failures_total",
          "Rate-limit decisions taken without Redis (let through or refused by config)");
    }
  }

  bool Remote() const override { return true; }
  RateDecision Check(std::string_view key, const RateLimit& limit) override {
    const std::int64_t period =
        std::chrono::duration_cast<std::chrono::microseconds>(limit.period).count();
    const std::int64_t n = std::max<std::int64_t>(1, limit.requests);
    const std::int64_t interval = std::max<std::int64_t>(1, period / n);
    auto reply = redis_.Eval(GcraScript(), {options_.key_prefix + std::string(key)},
                             {std::to_string(interval), std::to_string(period)});
    RateDecision d;
    d.limit = n;
    if (!reply.ok() || reply->elements.size() != 3) {
      return Failed(d, reply.ok() ? "unexpected script reply" : reply.status().ToString());
    }
    const std::int64_t allowed = reply->elements[0].integer;
    const std::int64_t ahead = reply->elements[1].integer;  // TAT - now
    if (allowed == 0) {
      d.allowed = false;
      d.remaining = 0;
      d.reset_seconds = CeilSeconds(ahead);
      d.retry_after_seconds = std::max<std::int64_t>(1, CeilSeconds(reply->elements[2].integer));
      return d;
    }
    // Whole requests still fitting before the bucket runs past its period (ahead <= period
    // here, so no negative division).
    d.allowed = true;
    d.remaining = std::clamp<std::int64_t>((period - ahead) / interval, 0, n - 1);
    d.reset_seconds = CeilSeconds(ahead);
    return d;
  }

 private:
  RateDecision Failed(RateDecision d, const std::string& why) {
    if (failures_) failures_->Inc();
    const auto now = std::chrono::steady_clock::now();
    {
      // One warning per 10 s: Redis down must not flood the log at request rate.
      std::lock_guard lock(log_mu_);
      if (now - last_warning_ > std::chrono::seconds(10)) {
        last_warning_ = now;
        MH_LOG_WARN("rate limiter: redis unavailable",
                    {"policy", options_.fail_open ? "fail open" : "fail closed"}, {"error", why});
      }
    }
    d.allowed = options_.fail_open;
    d.remaining = 0;
    d.retry_after_seconds = options_.fail_open ? 0 : 1;
    return d;
  }

  redis::RedisClient& redis_;
  const RedisRateLimiterOptions options_;
  metrics::Counter* failures_ = nullptr;
  std::mutex log_mu_;
  std::chrono::steady_clock::time_point last_warning_{};
};

}  // namespace

std::unique_ptr<RateLimiter> MakeRedisRateLimiter(redis::RedisClient& redis,
                                                  RedisRateLimiterOptions options,
                                                  metrics::Registry* metrics) {
  return std::make_unique<RedisRateLimiter>(redis, std::move(options), metrics);
}

}  // namespace milkyhoop::gateway
