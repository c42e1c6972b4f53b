#include "relay_options.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/redis/distributed_lock.hpp"

namespace milkyhoop::app {
namespace {

// Longer than a pass takes (a batch of 100 events): a relay that dies mid-pass holds up the
// others for at most this long. A pass that outlives it may overlap with another process's;
// consumers drop the duplicates.
constexpr std::chrono::seconds kLockTtl{10};

struct OutboxLock {
  OutboxLock(redis::RedisClient& redis, std::string key, std::string service)
      : lock(redis, std::move(key), kLockTtl), service(std::move(service)) {}
  redis::DistributedLock lock;
  const std::string service;
  std::atomic<bool> redis_down{false};  // logged once per outage, not once per pass
};

events::RelayExclusion ExclusionOf(std::shared_ptr<OutboxLock> held) {
  events::RelayExclusion exclusion;
  exclusion.enter = [held] {
    Result<bool> taken = held->lock.TryAcquire();
    if (taken.ok()) {
      if (held->redis_down.exchange(false)) {
        MH_LOG_INFO("outbox lock reachable again", {"service", held->service});
      }
      return *taken;
    }
    if (!held->redis_down.exchange(true)) {
      MH_LOG_WARN("outbox lock unavailable: relaying without it", {"service", held->service},
                  {"error", taken.status().message()});
    }
    return true;
  };
  exclusion.leave = [held] { (void)held->lock.Release(); };
  return exclusion;
}

}  // namespace

RelayOptionsFor MakeRelayOptions(redis::RedisClient* redis, std::string install) {
  return [redis, install = std::move(install)](std::string_view service) {
    events::RelayOptions options;
    if (redis) {
      options.exclusion = ExclusionOf(std::make_shared<OutboxLock>(
          *redis, "mh:lock:outbox:" + install + std::string(service), std::string(service)));
    }
    return options;
  };
}

}  // namespace milkyhoop::app
