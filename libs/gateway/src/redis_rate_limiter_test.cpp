// The Redis rate limiter against a real redis-server: two limiters (two gateway replicas) share
// one budget, keys are independent, and Redis down follows the configured policy.
#include "milkyhoop/gateway/redis_rate_limiter.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace std::chrono_literals;

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  std::unique_ptr<redis::RedisClient> Client() { return server_.Connect(); }
  redis::testing::RedisServer server_;
};

TEST_F(RedisRateLimiterTest, TwoReplicasShareOneBudget) {
  auto redis_a = Client(), redis_b = Client();
  auto replica_a = MakeRedisRateLimiter(*redis_a, {});
  auto replica_b = MakeRedisRateLimiter(*redis_b, {});
  const RateLimit limit{10, 60s};
  int allowed = 0;
  for (int i = 0; i < 30; ++i) {
    RateLimiter& replica = i % 2 == 0 ? *replica_a : *replica_b;
    const RateDecision d = replica.Check("ip:203.0.113.7", limit);
    if (d.allowed) {
      ++allowed;
      EXPECT_EQ(d.limit, 10);
      EXPECT_EQ(d.remaining, 10 - allowed);
    } else {
      EXPECT_EQ(d.remaining, 0);
      EXPECT_GE(d.retry_after_seconds, 1);
      EXPECT_LE(d.retry_after_seconds, 6);  // one request's worth: 60 s / 10
    }
  }
  EXPECT_EQ(allowed, 10) << "the combined limit holds across replicas";
  EXPECT_TRUE(replica_b->Check("ip:198.51.100.1", limit).allowed) << "other keys are independent";
}

TEST_F(RedisRateLimiterTest, RedisDownFailsOpenOrClosedAsConfigured) {
  auto redis = Client();
  metrics::Registry registry;
  auto open = MakeRedisRateLimiter(*redis, {.fail_open = true, .key_prefix = "t:"}, &registry);
  auto closed = MakeRedisRateLimiter(*redis, {.fail_open = false, .key_prefix = "t:"});
  ASSERT_TRUE(open->Check("k", {5, 60s}).allowed);
  server_.Stop();
  EXPECT_TRUE(open->Check("k", {5, 60s}).allowed);
  const RateDecision refused = closed->Check("k", {5, 60s});
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_NE(registry.Render().find("milkyhoop_ratelimit_redis_failures_total 1"), std::string::npos)
      << registry.Render();
}

}  // namespace
}  // namespace milkyhoop::gateway
