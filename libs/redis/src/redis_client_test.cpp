// The Redis client against a real redis-server: commands, scripts (also after a restart wipes
// them), and what callers see while Redis is down and after it comes back.
#include "milkyhoop/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::redis {
namespace {

using namespace std::chrono_literals;

TEST(RedisUrlTest, ParsesTheFormsOperatorsWrite) {
  auto full = ParseRedisUrl("redis.url", "redis://:s3cret@cache.internal:6380/2");
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->host, "cache.internal");
  EXPECT_EQ(full->port, 6380);
  EXPECT_EQ(full->password, "s3cret");
  EXPECT_EQ(full->database, 2);
  auto bare = ParseRedisUrl("redis.url", "127.0.0.1:7000");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->port, 7000);
  EXPECT_EQ(ParseRedisUrl("redis.url", "redis://host")->port, 6379);
  for (const char* bad :
       {"rediss://host", "redis://", "redis://host:99999", "host:x", "redis://host/-1"}) {
    auto r = ParseRedisUrl("redis.url", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field_errors()[0].field, "redis.url") << bad;
  }
}

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  std::unique_ptr<RedisClient> Client() { return server_.Connect(); }
  testing::RedisServer server_;
};

TEST_F(RedisClientTest, CommandsAndBinarySafeValues) {
  auto redis = Client();
  const std::string value("a\0b\r\nc", 6);
  ASSERT_TRUE(redis->Command({"SET", "k", value}).ok());
  auto got = redis->Command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->string, value);
  EXPECT_EQ(redis->Command({"GET", "missing"})->kind, Reply::Kind::kNil);
  EXPECT_EQ(redis->Command({"INCRBY", "n", "5"})->integer, 5);
  auto wrong = redis->Command({"INCR", "k"});
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition) << "an error reply";
  EXPECT_TRUE(redis->Command({"PING"}).ok()) << "the connection survives an error reply";
}

TEST_F(RedisClientTest, ScriptsRunAndSurviveARestart) {
  auto redis = Client();
  const Script script("return {KEYS[1], tonumber(ARGV[1]) * 2}");
  auto r = redis->Eval(script, {"key"}, {"21"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[0].string, "key");
  EXPECT_EQ(r->elements[1].integer, 42);
  server_.Stop();
  ASSERT_TRUE(server_.Start());  // a fresh Redis: the script cache is empty
  std::this_thread::sleep_for(150ms);
  Result<Reply> again = redis->Eval(script, {"key"}, {"1"});
  for (int i = 0; i < 20 && !again.ok(); ++i) {  // the first call may find the old connection dead
    std::this_thread::sleep_for(100ms);
    again = redis->Eval(script, {"key"}, {"1"});
  }
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->elements[1].integer, 2);
}

TEST_F(RedisClientTest, RedisDownIsAQuickUnavailableAndItsReturnIsNoticed) {
  auto redis = Client();
  ASSERT_TRUE(redis->Command({"PING"}).ok());
  server_.Stop();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    auto r = redis->Command({"PING"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "down must fail fast, not hang";
  ASSERT_TRUE(server_.Start());
  bool back = false;
  for (int i = 0; i < 30 && !back; ++i) {
    back = redis->Command({"PING"}).ok();
    if (!back) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(back);
}

TEST_F(RedisClientTest, ManyThreadsShareThePool) {
  auto redis = Client();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!redis->Command({"INCR", "shared"}).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(redis->Command({"GET", "shared"})->string, "1600");
}

}  // namespace
}  // namespace milkyhoop::redis
