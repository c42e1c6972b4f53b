#include "item_grammar.hpp"

#include <gtest/gtest.h>

#include "text_fold.hpp"

namespace milkyhoop::assistant::intent_internal {
namespace {

ItemsParse Items(std::string_view text, BarePrice bare = BarePrice::kPerCountedUnit) {
  return ParseItems(Tokenize(FoldForParsing(text), TheLexicon()).tokens, bare);
}

TEST(ItemGrammar, UnitPriceMarkersAndGroupUnits) {
  auto parse = Items("2 lusin gelas @ 5rb");  // "@" is per piece even when counted in dozens
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].name, "gelas");
  EXPECT_EQ(parse.items[0].quantity, 24);
  EXPECT_EQ(parse.items[0].unit_price, 5000);

  parse = Items("1 kodi sarung harga 1,2jt");  // "harga" is for what was counted: one kodi
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].quantity, 20);
  EXPECT_EQ(parse.items[0].unit_price, 60000);

  parse = Items("telur 10 kg harga 28rb per kg");
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].unit, "kg");
  EXPECT_EQ(parse.items[0].unit_price, 28000);
  EXPECT_TRUE(parse.problems.empty());
}

TEST(ItemGrammar, TotalsAreDividedByTheQuantity) {
  auto parse = Items("kopi susu 4 gelas total 60rb");
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].name, "kopi susu");
  EXPECT_EQ(parse.items[0].unit, "gelas");
  EXPECT_EQ(parse.items[0].unit_price, 15000);

  parse = Items("3 roti total 10rb");
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].unit_price, 3333);
  ASSERT_EQ(parse.problems.size(), 1u) << "a total that does not divide must be questioned";
}

TEST(ItemGrammar, BarePriceFollowsTheTransactionKind) {
  EXPECT_EQ(Items("kaos polos 100 pcs 2,5jt", BarePrice::kLineTotal).items[0].unit_price, 25000);
  EXPECT_EQ(Items("3 nasi goreng 15rb", BarePrice::kPerCountedUnit).items[0].unit_price, 15000);
}

TEST(ItemGrammar, SplitsSeveralItems) {
  for (const std::string text :
       {"5 es teh 4000 sama 2 nasi goreng 15000", "5 es teh 4000, 2 nasi goreng 15000",
        "5 es teh 4000 + 2 nasi goreng 15000", "5 es teh 4000 2 nasi goreng 15000"}) {
    const auto parse = Items(text);
    ASSERT_EQ(parse.items.size(), 2u) << text;
    EXPECT_EQ(parse.items[0].name, "es teh") << text;
    EXPECT_EQ(parse.items[0].quantity, 5) << text;
    EXPECT_EQ(parse.items[0].unit_price, 4000) << text;
    EXPECT_EQ(parse.items[1].name, "nasi goreng") << text;
    EXPECT_EQ(parse.items[1].quantity, 2) << text;
    EXPECT_EQ(parse.items[1].unit_price, 15000) << text;
  }
}

TEST(ItemGrammar, TimesMultipliesTheLine) {
  for (const std::string text : {"1 paket nasi box 25rb x 40", "nasi box 25rb 40x"}) {
    const auto parse = Items(text);
    ASSERT_EQ(parse.items.size(), 1u) << text;
    EXPECT_EQ(parse.items[0].quantity, 40) << text;
    EXPECT_EQ(parse.items[0].unit_price, 25000) << text;
  }
}

TEST(ItemGrammar, ReportsWhatIsMissingOrWrong) {
  auto parse = Items("kaos");
  ASSERT_EQ(parse.items.size(), 1u);
  EXPECT_EQ(parse.items[0].unit_price, std::nullopt);
  EXPECT_NE(
      std::find(parse.problems.begin(), parse.problems.end(), "harga belum disebut untuk kaos"),
      parse.problems.end());
  parse = Items("1,5 kg gula @15rb");
  EXPECT_NE(std::find(parse.problems.begin(), parse.problems.end(),
                      "jumlah harus bilangan bulat untuk gula"),
            parse.problems.end());
  parse = Items("10 kaos @ -5000");
  EXPECT_FALSE(parse.problems.empty());
}

TEST(ItemGrammar, CapsTheNumberOfItems) {
  std::string text;
  for (int i = 0; i < 80; ++i) text += "1 kaos 5rb, ";
  const auto parse = Items(text);
  EXPECT_EQ(parse.items.size(), kMaxItems);
  EXPECT_FALSE(parse.problems.empty());
}

}  // namespace
}  // namespace milkyhoop::assistant::intent_internal
