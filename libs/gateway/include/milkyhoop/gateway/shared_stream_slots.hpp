#pragma once
// The cap on a business's chat streams open at once (ChatRouteOptions::max_streams_per_business)
// across every gateway replica: each open stream holds a lease in a store all replicas share.
// A lease expires by itself, so a replica that dies holding some does not shrink the cap for
// long. Each replica still counts its own streams, so with the store down the cap holds per
// replica (fail open, counted in milkyhoop_stream_slots_redis_failures_total).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::metrics {
class Registry;
}

namespace milkyhoop::gateway {

class SharedStreamSlots {
 public:
  virtual ~SharedStreamSlots() = default;
  // A lease on one of `limit` slots of the business, or nullopt when all are taken; an error
  // when the store cannot answer.
  virtual Result<std::optional<std::string>> Acquire(std::string_view business_id,
                                                     std::size_t limit) = 0;
  virtual void Release(std::string_view business_id, std::string_view lease) = 0;
};

// In Redis: a sorted set per business of leases scored by their expiry, trimmed and counted by
// one Lua script on Redis's clock. `redis` must outlive it.
std::unique_ptr<SharedStreamSlots> MakeRedisStreamSlots(redis::RedisClient& redis,
                                                        std::chrono::seconds lease,
                                                        metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::gateway
