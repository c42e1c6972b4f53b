#include "lru_cache.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::sql::internal {
namespace {

TEST(LruCacheTest, EvictsTheLeastRecentlyUsed) {
  LruCache<int> cache(2);
  EXPECT_EQ(cache.EvictIfFull(), std::nullopt);
  cache.Insert("a", 1);
  cache.Insert("b", 2);
  ASSERT_NE(cache.Find("a"), nullptr);  // "a" is now the most recent
  EXPECT_EQ(cache.EvictIfFull(), 2);    // so "b" goes
  cache.Insert("c", 3);
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_EQ(*cache.Find("a"), 1);
  EXPECT_EQ(*cache.Find("c"), 3);
  EXPECT_EQ(cache.size(), 2u);
  cache.Erase("a");
  cache.Erase("absent");
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find("a"), nullptr);
}

}  // namespace
}  // namespace milkyhoop::sql::internal
