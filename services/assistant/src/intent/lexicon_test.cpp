#include "lexicon.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant::intent_internal {
namespace {

TEST(Lexicon, EveryDataLineParses) {
  const Lexicon& lexicon = TheLexicon();
  for (const std::string& error : lexicon.errors()) ADD_FAILURE() << error;
}

TEST(Lexicon, LongestPhraseWins) {
  const Lexicon& lexicon = TheLexicon();
  std::size_t length = 0;
  const std::vector<std::string_view> top = {"paling", "laku", "apa"};
  const Phrase* phrase = lexicon.LongestPhraseAt(top, 0, length);
  ASSERT_NE(phrase, nullptr);
  EXPECT_EQ(length, 2u);
  EXPECT_TRUE(phrase->groups & Bit(kTop));
  EXPECT_FALSE(phrase->groups & Bit(kSale));

  const std::vector<std::string_view> purchase = {"belanja", "stok", "telur"};
  phrase = lexicon.LongestPhraseAt(purchase, 0, length);
  ASSERT_NE(phrase, nullptr);
  EXPECT_EQ(length, 2u);
  EXPECT_TRUE(phrase->groups & Bit(kPurchase));
  EXPECT_FALSE(phrase->groups & Bit(kStock));
}

TEST(Lexicon, UnitsSlangNumbersAndCategoriesAreLoaded) {
  const Lexicon& lexicon = TheLexicon();
  ASSERT_NE(lexicon.FindUnit("lusin"), nullptr);
  EXPECT_EQ(lexicon.FindUnit("lusin")->multiplier, 12);
  EXPECT_EQ(lexicon.FindUnit("kodi")->multiplier, 20);
  EXPECT_EQ(lexicon.FindUnit("gross")->multiplier, 144);
  EXPECT_EQ(lexicon.FindUnit("rim")->multiplier, 500);
  EXPECT_EQ(lexicon.FindUnit("kilo")->canonical, "kg");
  ASSERT_NE(lexicon.Slang("brp"), nullptr);
  EXPECT_EQ(lexicon.Slang("brp")->front(), "berapa");
  ASSERT_NE(lexicon.NumberWord("sepuluh"), nullptr);
  EXPECT_EQ(*lexicon.NumberWord("sepuluh"), 10);
  std::size_t length = 0;
  const std::vector<std::string_view> fuel = {"fuel"};
  const Phrase* phrase = lexicon.LongestPhraseAt(fuel, 0, length);
  ASSERT_NE(phrase, nullptr);
  EXPECT_EQ(phrase->category, "bensin");
}

}  // namespace
}  // namespace milkyhoop::assistant::intent_internal
