// Stream slots shared by gateway replicas through a real redis-server: the cap holds across
// replicas, a released slot is free for any replica, a lease expires by itself, and with Redis
// down each replica's own cap still holds.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "chatbot_routes_support.hpp"
#include "milkyhoop/gateway/shared_stream_slots.hpp"
#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::gateway {
namespace {

using chatbot_routes::StreamSlots;
using namespace std::chrono_literals;

class SharedStreamSlotsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  redis::testing::RedisServer server_;
  std::unique_ptr<redis::RedisClient> redis_ = server_.Connect();
};

TEST_F(SharedStreamSlotsTest, TheCapHoldsAcrossReplicasAndFreedSlotsServeAny) {
  auto shared = MakeRedisStreamSlots(*redis_, 60s);
  auto a = std::make_shared<StreamSlots>(2, shared.get());
  auto b = std::make_shared<StreamSlots>(2, shared.get());
  auto first = a->Acquire("biz_1");
  auto second = b->Acquire("biz_1");
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(a->Acquire("biz_1")) << "two streams open across replicas: the cap of 2 holds";
  EXPECT_FALSE(b->Acquire("biz_1"));
  EXPECT_TRUE(b->Acquire("biz_2")) << "another business has slots of its own";
  first.reset();
  auto again = b->Acquire("biz_1");
  EXPECT_TRUE(again) << "a slot given back on one replica is free on another";
  EXPECT_EQ(b->open("biz_1"), 2u);
  EXPECT_EQ(a->open("biz_1"), 0u);
}

TEST_F(SharedStreamSlotsTest, ALeaseOfAReplicaThatVanishedExpires) {
  auto shared = MakeRedisStreamSlots(*redis_, 1s);
  ASSERT_TRUE(shared->Acquire("biz_1", 1).ok());  // never released, as by a killed replica
  auto full = shared->Acquire("biz_1", 1);
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(*full);
  std::this_thread::sleep_for(1100ms);
  auto after = shared->Acquire("biz_1", 1);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after);
}

TEST_F(SharedStreamSlotsTest, WithRedisDownEachReplicasOwnCapHolds) {
  auto shared = MakeRedisStreamSlots(*redis_, 60s);
  auto a = std::make_shared<StreamSlots>(1, shared.get());
  server_.Stop();
  auto slot = a->Acquire("biz_1");
  EXPECT_TRUE(slot) << "fail open: Redis down does not stop the chat";
  EXPECT_FALSE(a->Acquire("biz_1")) << "but this replica's cap still holds";
  slot.reset();  // the release cannot reach Redis either; nothing breaks
  EXPECT_TRUE(a->Acquire("biz_1"));
}

}  // namespace
}  // namespace milkyhoop::gateway
