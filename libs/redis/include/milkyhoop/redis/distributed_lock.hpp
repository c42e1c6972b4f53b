#pragma once
// A lock that processes sharing one Redis take in turn: a key holding the holder's random token,
// with an expiry, so a holder that dies without releasing it frees it after `ttl`. Taking it
// again while held extends it. Releasing compares the token first (one Lua script), so a holder
// whose lock expired and was taken by another never deletes the other's.
//
// Mutual exclusion holds while the holder's work is shorter than `ttl`: use it for bounded
// passes (an outbox relay's batch), each taking the lock again, not for unbounded sections.
#include <chrono>
#include <string>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::redis {

class DistributedLock {
 public:
  // `client` must outlive the lock. `key` is the Redis key (e.g. "mh:lock:outbox:business").
  DistributedLock(RedisClient& client, std::string key, std::chrono::milliseconds ttl);

  // True: this process holds it now, for `ttl` from this call (taken or extended). False:
  // another holds it. kUnavailable: Redis did not answer; the caller decides.
  Result<bool> TryAcquire();
  // Frees it if this process still holds it.
  Status Release();

 private:
  RedisClient& client_;
  const std::string key_;
  const std::chrono::milliseconds ttl_;
  const std::string token_;  // random per lock object: tells this holder from every other
};

}  // namespace milkyhoop::redis
