#include "answer_cache.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/redis/testing/redis_server.hpp"

namespace milkyhoop::chatbot {
namespace {

AnswerKey Key(std::string q, std::int64_t version = 1, std::string biz = "biz_a") {
  return {std::move(biz), version, "id", std::move(q)};
}

CachedAnswer Answer(std::string text) {
  CachedAnswer a;
  a.answer = std::move(text);
  a.tier = 1;
  return a;
}

TEST(AnswerCache, ReturnsWhatWasPutForTheSameKeyOnly) {
  AnswerCache cache(10);
  cache.Put(Key("jam buka"), Answer("07.00"));
  ASSERT_TRUE(cache.Get(Key("jam buka")).has_value());
  EXPECT_EQ(cache.Get(Key("jam buka"))->answer, "07.00");
  EXPECT_FALSE(cache.Get(Key("jam buka", 2)).has_value()) << "knowledge changed";
  EXPECT_FALSE(cache.Get(Key("jam buka", 1, "biz_b")).has_value()) << "another business";
  EXPECT_FALSE(cache.Get({"biz_a", 1, "en", "jam buka"}).has_value()) << "another language";
}

TEST(AnswerCache, EvictsTheLeastRecentlyUsed) {
  AnswerCache cache(2);
  cache.Put(Key("a"), Answer("A"));
  cache.Put(Key("b"), Answer("B"));
  ASSERT_TRUE(cache.Get(Key("a")).has_value());  // a is now the most recent
  cache.Put(Key("c"), Answer("C"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Get(Key("a")).has_value());
  EXPECT_FALSE(cache.Get(Key("b")).has_value());
  EXPECT_TRUE(cache.Get(Key("c")).has_value());
}

TEST(AnswerCache, ZeroCapacityStoresNothing) {
  AnswerCache cache(0);
  cache.Put(Key("a"), Answer("A"));
  EXPECT_FALSE(cache.Get(Key("a")).has_value());
}

// Two processes (two caches) sharing a real redis-server.
class SharedAnswerCache : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  std::unique_ptr<redis::RedisClient> Client() { return server_.Connect(); }
  redis::testing::RedisServer server_;
};

TEST_F(SharedAnswerCache, AnAnswerOneProcessCachedServesTheOthers) {
  auto redis_a = Client(), redis_b = Client();
  AnswerCache replica_a(10, redis_a.get()), replica_b(10, redis_b.get());
  CachedAnswer a = Answer("Buka 07.00–21.00");
  a.tier = 2;
  a.confidence = 0.72;
  v1::Citation c;
  c.set_source_type("faq");
  c.set_source_id("faq_1");
  c.set_title("Jam buka?");
  a.citations.push_back(c);
  replica_a.Put(Key("jam buka"), a);

  auto hit = replica_b.Get(Key("jam buka"));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->answer, "Buka 07.00–21.00");
  EXPECT_EQ(hit->tier, 2);
  EXPECT_DOUBLE_EQ(hit->confidence, 0.72);
  ASSERT_EQ(hit->citations.size(), 1u);
  EXPECT_EQ(hit->citations[0].source_id(), "faq_1");
  EXPECT_FALSE(replica_b.Get(Key("jam buka", 2)).has_value()) << "knowledge changed";
  EXPECT_FALSE(replica_b.Get(Key("jam buka", 1, "biz_b")).has_value()) << "another business";

  // The key names the business and version, never the customer's words.
  auto keys = redis_a->Command({"KEYS", "milkyhoop:answers:*"});
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->elements.size(), 1u);
  EXPECT_EQ(keys->elements[0].string.rfind("milkyhoop:answers:biz_a:1:id:", 0), 0u);
  EXPECT_EQ(keys->elements[0].string.find("jam"), std::string::npos);
  auto ttl = redis_a->Command({"TTL", keys->elements[0].string});
  EXPECT_GT(ttl->integer, 0) << "entries expire";
}

TEST_F(SharedAnswerCache, RedisDownMeansMissesNotFailures) {
  auto redis = Client();
  AnswerCache cache(10, redis.get());
  cache.Put(Key("jam buka"), Answer("07.00"));
  server_.Stop();
  EXPECT_EQ(cache.Get(Key("jam buka"))->answer, "07.00") << "the memory level still serves";
  EXPECT_FALSE(cache.Get(Key("alamat")).has_value());
  cache.Put(Key("alamat"), Answer("Jl. Mawar 3"));  // no throw, no hang
  EXPECT_EQ(cache.Get(Key("alamat"))->answer, "Jl. Mawar 3");
}

}  // namespace
}  // namespace milkyhoop::chatbot
