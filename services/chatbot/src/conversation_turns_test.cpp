// Conversation turns in memory and in a real redis-server: one turn per conversation at a time,
// freed by its end and never by another's lease; in Redis shared by processes, expiring after its
// TTL, and held in the process's memory while Redis is down (fail open, counted).
#include "milkyhoop/chatbot/conversation_turns.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::chatbot {
namespace {

using namespace std::chrono_literals;

std::optional<std::string> Begin(ConversationTurns& turns, std::string_view id) {
  auto r = turns.TryBegin(id);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::nullopt;
}

enum class Store { kMemory, kRedis };

class ConversationTurnsTest : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    if (GetParam() == Store::kMemory) {
      turns_ = MakeMemoryConversationTurns();
      return;
    }
    server_ = std::make_unique<redis::testing::RedisServer>();
    ASSERT_TRUE(server_->ok()) << server_->error();
    redis_ = server_->Connect();
    turns_ = MakeRedisConversationTurns(*redis_, 60s);
  }
  std::unique_ptr<redis::testing::RedisServer> server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<ConversationTurns> turns_;
};

INSTANTIATE_TEST_SUITE_P(Stores, ConversationTurnsTest,
                         ::testing::Values(Store::kMemory, Store::kRedis), [](const auto& info) {
                           return info.param == Store::kMemory ? "Memory" : "Redis";
                         });

TEST_P(ConversationTurnsTest, OneTurnPerConversationUntilItEnds) {
  auto first = Begin(*turns_, "cnv_1");
  ASSERT_TRUE(first);
  EXPECT_FALSE(Begin(*turns_, "cnv_1")) << "a second turn while the first runs";
  auto other = Begin(*turns_, "cnv_2");
  EXPECT_TRUE(other) << "another conversation is not held by it";
  turns_->End("cnv_1", *first);
  auto next = Begin(*turns_, "cnv_1");
  ASSERT_TRUE(next) << "free once the first ended";
  EXPECT_NE(*next, *first);
}

TEST_P(ConversationTurnsTest, OnlyTheHoldersLeaseEndsATurn) {
  auto first = Begin(*turns_, "cnv_1");
  ASSERT_TRUE(first);
  turns_->End("cnv_1", "turn_not_the_holder");
  turns_->End("cnv_2", *first);  // its lease, another conversation
  EXPECT_FALSE(Begin(*turns_, "cnv_1"));
  turns_->End("cnv_1", *first);
  turns_->End("cnv_1", *first);  // twice is harmless
  EXPECT_TRUE(Begin(*turns_, "cnv_1"));
}

class RedisConversationTurnsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  redis::testing::RedisServer server_;
  std::unique_ptr<redis::RedisClient> a_ = server_.Connect();
  std::unique_ptr<redis::RedisClient> b_ = server_.Connect();  // another process's connection
};

TEST_F(RedisConversationTurnsTest, ATurnHeldByOneProcessIsHeldForEvery) {
  auto a = MakeRedisConversationTurns(*a_, 60s);
  auto b = MakeRedisConversationTurns(*b_, 60s);
  auto lease = Begin(*a, "cnv_1");
  ASSERT_TRUE(lease);
  EXPECT_FALSE(Begin(*b, "cnv_1")) << "the other process sees the turn in progress";
  auto ttl = a_->Command({"PTTL", "milkyhoop:turn:cnv_1"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0) << "the key expires by itself";
  EXPECT_LE(ttl->integer, 60'000);
  a->End("cnv_1", *lease);
  EXPECT_TRUE(Begin(*b, "cnv_1")) << "ended on one process, free on the other";
}

TEST_F(RedisConversationTurnsTest, ATurnOfAProcessThatDiedExpiresAndItsLateEndFreesNothing) {
  auto dead = MakeRedisConversationTurns(*a_, 200ms);
  auto next = MakeRedisConversationTurns(*b_, 60s);
  auto stale = Begin(*dead, "cnv_1");
  ASSERT_TRUE(stale);
  EXPECT_FALSE(Begin(*next, "cnv_1"));
  std::this_thread::sleep_for(300ms);  // the TTL itself is what is tested
  auto lease = Begin(*next, "cnv_1");
  ASSERT_TRUE(lease) << "the lease expired";
  dead->End("cnv_1", *stale);  // late, and no longer the holder
  EXPECT_FALSE(Begin(*dead, "cnv_1")) << "the next turn still holds the conversation";
}

TEST_F(RedisConversationTurnsTest, WithRedisDownTurnsAreHeldInTheProcessAndCounted) {
  metrics::Registry metrics;
  auto turns = MakeRedisConversationTurns(*a_, 60s, &metrics);
  server_.Stop();
  auto local = Begin(*turns, "cnv_1");
  ASSERT_TRUE(local) << "fail open: Redis down does not stop the chat";
  EXPECT_FALSE(Begin(*turns, "cnv_1")) << "but this process still allows one turn at a time";
  turns->End("cnv_1", *local);
  auto again = Begin(*turns, "cnv_1");
  ASSERT_TRUE(again) << "a turn held in memory ends in memory";
  auto* failures = metrics.GetCounter("milkyhoop_conversation_turns_redis_failures_total", "");
  EXPECT_EQ(failures->Value(), 3u) << "each begin that missed Redis";
  turns->End("cnv_1", *again);

  ASSERT_TRUE(server_.Start());
  // Back (after the client's reconnect backoff): turns are shared through Redis again.
  auto other = MakeRedisConversationTurns(*b_, 60s);
  for (int i = 0; i < 50 && !(a_->Command({"PING"}).ok() && b_->Command({"PING"}).ok()); ++i) {
    std::this_thread::sleep_for(100ms);
  }
  auto shared = Begin(*turns, "cnv_3");
  ASSERT_TRUE(shared);
  EXPECT_FALSE(Begin(*other, "cnv_3")) << "held in Redis again, seen by the other process";
}

}  // namespace
}  // namespace milkyhoop::chatbot
