#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/gateway/shared_stream_slots.hpp"

namespace milkyhoop::gateway {
namespace {

// KEYS[1] the business's set; ARGV: limit, lease in ms, lease id. 1 = taken, 0 = full.
constexpr const char* kAcquireLua = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

const redis::Script& AcquireScript() {
  static const redis::Script script(kAcquireLua);
  return script;
}

class RedisStreamSlots final : public SharedStreamSlots {
 public:
  RedisStreamSlots(redis::RedisClient& redis, std::chrono::seconds lease,
                   metrics::Registry* metrics)
      : redis_(redis), lease_ms_(std::chrono::milliseconds(lease).count()) {
    if (metrics) {
      failures_ = metrics->GetCounter(
          "milkyhoop_stream_slots_redis_failures_total",
          "Chat streams let through on this replica's own count because Redis did not answer");
    }
  }

  Result<std::optional<std::string>> Acquire(std::string_view business_id,
                                             std::size_t limit) override {
    std::string lease = NewId("lease_");
    auto reply = redis_.Eval(AcquireScript(), {Key(business_id)},
                             {std::to_string(limit), std::to_string(lease_ms_), lease});
    if (!reply.ok()) {
      if (failures_) failures_->Inc();
      return reply.status();
    }
    if (reply->integer != 1) return std::optional<std::string>();
    return std::optional<std::string>(std::move(lease));
  }

  void Release(std::string_view business_id, std::string_view lease) override {
    // Not given back (Redis down): it expires with its lease.
    if (!redis_.Command({"ZREM", Key(business_id), std::string(lease)}).ok() && failures_) {
      failures_->Inc();
    }
  }

 private:
  static std::string Key(std::string_view business_id) {
    return "milkyhoop:streams:" + std::string(business_id);
  }

  redis::RedisClient& redis_;
  const std::int64_t lease_ms_;
  metrics::Counter* failures_ = nullptr;
};

}  // namespace

std::unique_ptr<SharedStreamSlots> MakeRedisStreamSlots(redis::RedisClient& redis,
                                                        std::chrono::seconds lease,
                                                        metrics::Registry* metrics) {
  return std::make_unique<RedisStreamSlots>(redis, lease, metrics);
}

}  // namespace milkyhoop::gateway
