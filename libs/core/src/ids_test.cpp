#include "milkyhoop/core/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace milkyhoop {
namespace {

TEST(IdsTest, PrefixedUniqueAndOrdered) {
  std::set<std::string> seen;
  std::string prev;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId("org_");
    EXPECT_EQ(id.size(), 4u + 26u);
    EXPECT_TRUE(id.starts_with("org_"));
    EXPECT_TRUE(seen.insert(id).second);
  }
  // Ids made a millisecond apart sort in creation order.
  std::string a = NewId("x");
  while (NewId("x").substr(1, 10) == a.substr(1, 10)) {
  }
  std::string b = NewId("x");
  EXPECT_LT(a, b);
}

TEST(IdsTest, HexEncoding) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(RandomHex(16).size(), 32u);
}

}  // namespace
}  // namespace milkyhoop
