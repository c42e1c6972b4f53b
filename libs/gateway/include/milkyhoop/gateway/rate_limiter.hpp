#pragma once
// Rate limiting by GCRA (the generic cell rate algorithm: a token bucket kept as one timestamp
// per key). The interface has an in-memory implementation for the embedded default; a Redis one
// shares limits across gateway replicas.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "milkyhoop/core/clock.hpp"

namespace milkyhoop::gateway {

struct RateLimit {
  std::int64_t requests = 100;               // allowed per period...
  std::chrono::milliseconds period{60'000};  // ...with bursts up to `requests`
};

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_seconds = 0;        // until the bucket is full again
  std::int64_t retry_after_seconds = 0;  // when refused
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  virtual RateDecision Check(std::string_view key, const RateLimit& limit) = 0;
  // True when Check asks another process (it then blocks for a network round trip).
  virtual bool Remote() const { return false; }
};

// Sharded in-memory GCRA; stale keys are swept as new ones arrive, so memory stays bounded by
// the number of keys active within one period.
std::unique_ptr<RateLimiter> MakeMemoryRateLimiter(const Clock& clock);

}  // namespace milkyhoop::gateway
