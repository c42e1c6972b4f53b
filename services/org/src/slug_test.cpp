#include "slug.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::org {
namespace {

TEST(SlugTest, DerivedFromTheName) {
  EXPECT_EQ(SlugBase("Warung Bu Sri"), "warung-bu-sri");
  EXPECT_EQ(SlugBase("  Toko -- Kue!!  Enak  "), "toko-kue-enak");
  EXPECT_EQ(SlugBase("Café Ümlaut 2"), "caf-mlaut-2");
  EXPECT_EQ(SlugBase("!!!"), "org");
  EXPECT_EQ(SlugBase("日本"), "org");
}

TEST(SlugTest, BoundedWithoutTrailingHyphen) {
  const std::string slug = SlugBase(std::string(39, 'a') + " bb");
  EXPECT_LE(slug.size(), kMaxSlugBase);
  EXPECT_NE(slug.back(), '-');
  EXPECT_EQ(SlugBase(std::string(60, 'x')).size(), kMaxSlugBase);
}

TEST(SlugTest, PicksTheFirstFreeSuffix) {
  EXPECT_EQ(PickFreeSlug("toko", {}), "toko");
  EXPECT_EQ(PickFreeSlug("toko", {"toko-2"}), "toko");
  EXPECT_EQ(PickFreeSlug("toko", {"toko"}), "toko-2");
  EXPECT_EQ(PickFreeSlug("toko", {"toko", "toko-2", "toko-3", "toko-kue"}), "toko-4");
}

}  // namespace
}  // namespace milkyhoop::org
