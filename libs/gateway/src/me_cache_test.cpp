#include "milkyhoop/gateway/me_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace milkyhoop::gateway {
namespace {

using namespace std::chrono_literals;

class MeCacheTest : public ::testing::Test {
 protected:
  MeCache Make(MeCacheOptions options = {}) {
    return MeCache([this] { return epoch_.load(); }, clock_, options);
  }
  std::atomic<std::uint64_t> epoch_{7};
  ManualClock clock_;
};

TEST_F(MeCacheTest, AnswersWhatWasPutUntilAWriteOrTheTtl) {
  MeCache cache = Make({.ttl = 1000ms});
  EXPECT_FALSE(cache.Get("usr_1"));
  cache.Put("usr_1", cache.Epoch(), R"({"id":"usr_1"})");
  EXPECT_EQ(cache.Get("usr_1").value_or(""), R"({"id":"usr_1"})");
  EXPECT_FALSE(cache.Get("usr_2"));

  ++epoch_;  // any write to the user or organisation databases
  EXPECT_FALSE(cache.Get("usr_1"));

  cache.Put("usr_1", cache.Epoch(), "v2");
  clock_.Advance(999ms);
  EXPECT_EQ(cache.Get("usr_1").value_or(""), "v2");
  clock_.Advance(1ms);
  EXPECT_FALSE(cache.Get("usr_1"));  // another process's write is seen within the ttl
}

TEST_F(MeCacheTest, ABodyReadAcrossAWriteIsNotKept) {
  MeCache cache = Make();
  const std::uint64_t before = cache.Epoch();
  ++epoch_;  // committed while the body was being read: it may predate the write
  cache.Put("usr_1", before, "maybe stale");
  EXPECT_FALSE(cache.Get("usr_1"));
}

TEST_F(MeCacheTest, StaysWithinItsBound) {
  MeCache cache = Make({.max_entries = 2});
  cache.Put("usr_1", cache.Epoch(), "1");
  cache.Put("usr_2", cache.Epoch(), "2");
  cache.Put("usr_2", cache.Epoch(), "2b");  // a replacement does not count
  EXPECT_EQ(cache.Get("usr_1").value_or(""), "1");
  cache.Put("usr_3", cache.Epoch(), "3");  // full: starts over
  EXPECT_FALSE(cache.Get("usr_1"));
  EXPECT_EQ(cache.Get("usr_3").value_or(""), "3");

  MeCache off = Make({.max_entries = 0});
  off.Put("usr_1", off.Epoch(), "1");
  EXPECT_FALSE(off.Get("usr_1"));
}

}  // namespace
}  // namespace milkyhoop::gateway
