#include <gtest/gtest.h>

#include "milkyhoop/gateway/rate_limiter.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace std::chrono_literals;

TEST(MemoryRateLimiterTest, AllowsTheBurstThenRefusesWithRetryAfter) {
  ManualClock clock;
  auto limiter = MakeMemoryRateLimiter(clock);
  RateLimit limit{10, 60s};
  for (int i = 0; i < 10; ++i) {
    auto d = limiter->Check("ip:1.2.3.4", limit);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 10);
    EXPECT_EQ(d.remaining, 9 - i);
  }
  auto refused = limiter->Check("ip:1.2.3.4", limit);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_seconds, 6);  // one request's worth: 60 s / 10
  // Other keys are independent.
  EXPECT_TRUE(limiter->Check("ip:5.6.7.8", limit).allowed);
}

TEST(MemoryRateLimiterTest, RefillsAtTheSteadyRate) {
  ManualClock clock;
  auto limiter = MakeMemoryRateLimiter(clock);
  RateLimit limit{10, 60s};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter->Check("k", limit).allowed);
  ASSERT_FALSE(limiter->Check("k", limit).allowed);
  clock.Advance(6s);
  EXPECT_TRUE(limiter->Check("k", limit).allowed);
  EXPECT_FALSE(limiter->Check("k", limit).allowed);
  clock.Advance(60s);
  auto d = limiter->Check("k", limit);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 9);
}

TEST(MemoryRateLimiterTest, ManyKeysAreSweptWhenStale) {
  ManualClock clock;
  auto limiter = MakeMemoryRateLimiter(clock);
  RateLimit limit{5, 1s};
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_TRUE(limiter->Check("k" + std::to_string(i), limit).allowed);
    if (i % 1000 == 0) clock.Advance(2s);
  }
}

}  // namespace
}  // namespace milkyhoop::gateway
