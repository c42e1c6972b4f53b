// The distributed lock against a real redis-server: one holder at a time, extended by its
// holder, freed by its release or its expiry, never released by a former holder, and Redis down
// is an error the caller sees.
#include "milkyhoop/redis/distributed_lock.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::redis {
namespace {

using namespace std::chrono_literals;

class DistributedLockTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  testing::RedisServer server_;
  std::unique_ptr<RedisClient> a_ = server_.Connect();
  std::unique_ptr<RedisClient> b_ = server_.Connect();  // another process's connection
};

bool Held(Result<bool> r) { return r.ok() && *r; }

TEST_F(DistributedLockTest, OneHolderAtATimeUntilReleased) {
  DistributedLock first(*a_, "mh:lock:test", 5s);
  DistributedLock second(*b_, "mh:lock:test", 5s);
  EXPECT_TRUE(Held(first.TryAcquire()));
  EXPECT_TRUE(Held(first.TryAcquire()));  // its holder extends it
  auto other = second.TryAcquire();
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_FALSE(*other);
  EXPECT_TRUE(second.Release().ok());  // not the holder: changes nothing
  EXPECT_FALSE(Held(second.TryAcquire()));

  ASSERT_TRUE(first.Release().ok());
  EXPECT_TRUE(Held(second.TryAcquire()));
  EXPECT_FALSE(Held(first.TryAcquire()));

  DistributedLock unrelated(*a_, "mh:lock:other", 5s);
  EXPECT_TRUE(Held(unrelated.TryAcquire()));  // another key is another lock
}

TEST_F(DistributedLockTest, ADeadHoldersLockExpiresAndItCannotReleaseTheNextOne) {
  DistributedLock dead(*a_, "mh:lock:test", 200ms);
  DistributedLock next(*b_, "mh:lock:test", 5s);
  ASSERT_TRUE(Held(dead.TryAcquire()));
  EXPECT_FALSE(Held(next.TryAcquire()));
  std::this_thread::sleep_for(300ms);  // the holder never released it
  ASSERT_TRUE(Held(next.TryAcquire()));
  ASSERT_TRUE(dead.Release().ok());       // late, and no longer the holder
  EXPECT_FALSE(Held(dead.TryAcquire()));  // so the next holder still has it
}

TEST_F(DistributedLockTest, RedisDownIsUnavailable) {
  DistributedLock lock(*a_, "mh:lock:test", 5s);
  server_.Stop();
  auto r = lock.TryAcquire();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  ASSERT_TRUE(server_.Start());
  // Back: the first TryAcquire may still meet the reconnect backoff.
  bool held = false;
  for (int i = 0; i < 50 && !held; ++i) {
    held = Held(lock.TryAcquire());
    if (!held) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(held);
}

}  // namespace
}  // namespace milkyhoop::redis
