// The pub/sub subscriber against a real redis-server: messages from another connection arrive,
// a Redis restart is healed by subscribing again, and stopping returns promptly.
#include "milkyhoop/redis/redis_subscriber.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::redis {
namespace {

using namespace std::chrono_literals;

struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> messages;

  std::function<void(std::string_view)> Sink() {
    return [this](std::string_view m) {
      std::lock_guard lock(mu);
      messages.emplace_back(m);
      cv.notify_all();
    };
  }
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return messages.size() >= n; });
  }
};

RedisOptions OptionsOf(const testing::RedisServer& server) {
  RedisOptions o;
  o.port = server.port();
  o.reconnect_backoff = 50ms;
  return o;
}

TEST(RedisSubscriberTest, MessagesPublishedAnywhereArriveInOrder) {
  testing::RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Inbox inbox;
  auto sub = SubscribeRedis(OptionsOf(server), "mh:test", inbox.Sink());
  ASSERT_TRUE(sub->subscribed());
  auto client = server.Connect();
  const std::vector<std::string> sent = {"satu", "dua\nbaris", std::string("ti\0ga", 5)};
  for (const std::string& m : sent) ASSERT_TRUE(client->Command({"PUBLISH", "mh:test", m}).ok());
  ASSERT_TRUE(client->Command({"PUBLISH", "mh:other", "not ours"}).ok());
  ASSERT_TRUE(inbox.WaitFor(3));
  std::this_thread::sleep_for(100ms);
  std::lock_guard lock(inbox.mu);
  EXPECT_EQ(inbox.messages, sent);  // in order, binary-safe, and nothing of the other channel
}

TEST(RedisSubscriberTest, ARestartedRedisIsSubscribedToAgain) {
  testing::RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Inbox inbox;
  auto sub = SubscribeRedis(OptionsOf(server), "mh:test", inbox.Sink());
  ASSERT_TRUE(sub->subscribed());
  server.Stop();
  ASSERT_TRUE(server.Start());
  auto client = server.Connect();
  // Published until it arrives: the subscription comes back on its own after the restart.
  bool arrived = false;
  for (int i = 0; i < 100 && !arrived; ++i) {
    (void)client->Command({"PUBLISH", "mh:test", "lagi"});
    arrived = inbox.WaitFor(1, 50ms);
  }
  EXPECT_TRUE(arrived);
}

TEST(RedisSubscriberTest, StoppingReturnsPromptlyAndWithoutRedis) {
  testing::RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Inbox inbox;
  auto sub = SubscribeRedis(OptionsOf(server), "mh:test", inbox.Sink());
  ASSERT_TRUE(sub->subscribed());
  auto t0 = std::chrono::steady_clock::now();
  sub.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);

  server.Stop();
  auto down = SubscribeRedis(OptionsOf(server), "mh:test", inbox.Sink());
  EXPECT_FALSE(down->subscribed());
  t0 = std::chrono::steady_clock::now();
  down.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

}  // namespace
}  // namespace milkyhoop::redis
