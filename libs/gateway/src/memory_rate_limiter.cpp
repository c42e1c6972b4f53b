#include <array>
#include <mutex>
#include <string>
#include <unordered_map>

#include "milkyhoop/gateway/rate_limiter.hpp"

namespace milkyhoop::gateway {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

class MemoryRateLimiter final : public RateLimiter {
 public:
  explicit MemoryRateLimiter(const Clock& clock) : clock_(clock) {}

  RateDecision Check(std::string_view key, const RateLimit& limit) override {
    const std::int64_t now = NowMicros();
    const std::int64_t period = duration_cast<std::chrono::microseconds>(limit.period).count();
    const std::int64_t n = std::max<std::int64_t>(1, limit.requests);
    const std::int64_t interval = std::max<std::int64_t>(1, period / n);  // one request's cost
    const std::int64_t burst = period - interval;  // how far ahead TAT may run

    Shard& shard = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
    std::lock_guard lock(shard.mu);
    MaybeSweep(shard, now);
    auto it = shard.tat.find(std::string(key));
    std::int64_t tat = it == shard.tat.end() ? now : std::max(it->second, now);
    RateDecision d;
    d.limit = n;
    const std::int64_t new_tat = tat + interval;
    if (new_tat - now > period) {
      // Refused: the request would run the bucket past its burst.
      d.allowed = false;
      d.remaining = 0;
      d.retry_after_seconds = CeilSeconds(new_tat - period - now);
      d.reset_seconds = CeilSeconds(tat - now);
      return d;
    }
    if (it == shard.tat.end()) {
      shard.tat.emplace(std::string(key), new_tat);
    } else {
      it->second = new_tat;
    }
    d.allowed = true;
    d.remaining = std::max<std::int64_t>(0, (burst - (new_tat - now)) / interval + 1);
    if (d.remaining > n - 1) d.remaining = n - 1;
    d.reset_seconds = CeilSeconds(new_tat - now);
    return d;
  }

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::int64_t> tat;
    std::size_t inserts_since_sweep = 0;
  };

  static std::int64_t CeilSeconds(std::int64_t micros) {
    return micros <= 0 ? 0 : (micros + 999'999) / 1'000'000;
  }

  std::int64_t NowMicros() const {
    return duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch()).count();
  }

  // A key whose TAT is in the past is a full bucket: forgetting it changes nothing.
  static void MaybeSweep(Shard& shard, std::int64_t now) {
    if (++shard.inserts_since_sweep < 1024 && shard.tat.size() < 4096) return;
    shard.inserts_since_sweep = 0;
    std::erase_if(shard.tat, [now](const auto& kv) { return kv.second <= now; });
  }

  const Clock& clock_;
  std::array<Shard, 16> shards_;
};

}  // namespace

std::unique_ptr<RateLimiter> MakeMemoryRateLimiter(const Clock& clock) {
  return std::make_unique<MemoryRateLimiter>(clock);
}

}  // namespace milkyhoop::gateway
