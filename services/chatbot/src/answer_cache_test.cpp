#include "answer_cache.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace milkyhoop::chatbot
