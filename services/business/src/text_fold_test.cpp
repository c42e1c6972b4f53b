#include "text_fold.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::business {
namespace {

TEST(TextFoldTest, NormalizeNameFoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(NormalizeName("Kopi Gayo Café"), "kopi gayo cafe");
  EXPECT_EQ(NormalizeName("  ÅNGSTRÖM--straße  "), "angstrom strasse");
  EXPECT_EQ(NormalizeName("Bu Sari's Warung"), "bu saris warung");
  EXPECT_EQ(NormalizeName("Łódź Ćevapi Œuvre"), "lodz cevapi ouvre");
  EXPECT_EQ(NormalizeName("\xff\xfe broken \xc3"), "broken");
  EXPECT_EQ(NormalizeName("日本 tea"), "tea");
  EXPECT_EQ(NormalizeName(""), "");
}

TEST(TextFoldTest, SlugFromName) {
  EXPECT_EQ(SlugFromName("Warung Bu Sari"), "warung-bu-sari");
  EXPECT_EQ(SlugFromName("Kafé Ñoño & Co."), "kafe-nono-co");
  EXPECT_EQ(SlugFromName("日本"), "usaha");
  EXPECT_EQ(SlugFromName("A1"), "usaha-a1");
  const std::string slug =
      SlugFromName("Toko Kelontong Sejahtera Makmur Abadi Sentosa Jaya Raya Sekali");
  EXPECT_LE(slug.size(), 48u);
  EXPECT_NE(slug.back(), '-');
  EXPECT_TRUE(IsValidSlug(slug));
}

TEST(TextFoldTest, IsValidSlug) {
  EXPECT_TRUE(IsValidSlug("warung-bu-sari-2"));
  EXPECT_FALSE(IsValidSlug("ab"));
  EXPECT_FALSE(IsValidSlug("-abc"));
  EXPECT_FALSE(IsValidSlug("abc-"));
  EXPECT_FALSE(IsValidSlug("a--bc"));
  EXPECT_FALSE(IsValidSlug("Abc"));
  EXPECT_FALSE(IsValidSlug("a_bc"));
}

}  // namespace
}  // namespace milkyhoop::business
