#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include "text_fold.hpp"

namespace milkyhoop::assistant::intent_internal {
namespace {

std::vector<Token> Tokens(std::string_view text) {
  return Tokenize(FoldForParsing(text), TheLexicon()).tokens;
}

std::int64_t IntegerValue(const Token& t) { return ExactInteger(t.value).value_or(-1); }

TEST(Tokenizer, MergesRupiahMultipliersIntoAmounts) {
  for (const auto& [text, value] :
       std::vector<std::pair<std::string, std::int64_t>>{{"45rb", 45000},
                                                         {"45 ribu", 45000},
                                                         {"5k", 5000},
                                                         {"1,5jt", 1500000},
                                                         {"2 juta", 2000000},
                                                         {"Rp 15.000", 15000},
                                                         {"rp15.000", 15000},
                                                         {"2.6 million", 2600000}}) {
    const auto tokens = Tokens(text);
    ASSERT_EQ(tokens.size(), 1u) << text;
    EXPECT_EQ(tokens[0].kind, TokenKind::kNumber) << text;
    EXPECT_TRUE(tokens[0].money) << text;
    EXPECT_EQ(IntegerValue(tokens[0]), value) << text;
  }
}

TEST(Tokenizer, ReadsNumberWordsAndSeUnits) {
  auto tokens = Tokens("dua puluh lima kaos");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(IntegerValue(tokens[0]), 25);
  tokens = Tokens("selusin donat");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(IntegerValue(tokens[0]), 1);
  ASSERT_NE(tokens[1].unit, nullptr);
  EXPECT_EQ(tokens[1].unit->multiplier, 12);
  tokens = Tokens("seratus dua puluh ribu");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(IntegerValue(tokens[0]), 120000);
}

TEST(Tokenizer, SplitsUnitsOffNumbersButKeepsModelNumbersInNames) {
  auto tokens = Tokens("10kg beras");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kNumber);
  EXPECT_EQ(tokens[1].text, "kg");
  tokens = Tokens("voucher 10gb");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[1].text, "10gb");
}

TEST(Tokenizer, RewritesSlangAndParticles) {
  auto tokens = Tokens("Stoknya BRP yg ada?");
  ASSERT_GE(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].text, "stok");
  EXPECT_EQ(tokens[1].text, "berapa");
  EXPECT_EQ(tokens[2].text, "yang");
  EXPECT_EQ(tokens.back().kind, TokenKind::kQuestion);
  tokens = Tokens("untungnya what's");
  EXPECT_EQ(tokens[0].text, "untung");
  EXPECT_EQ(tokens[1].text, "whats");
}

TEST(Tokenizer, KeepsTheSignAndFoldsAccents) {
  auto tokens = Tokens("jual -5 KAOS café");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_TRUE(tokens[1].negative);
  EXPECT_EQ(tokens[2].text, "kaos");
  EXPECT_EQ(tokens[3].text, "cafe");
}

TEST(TextFold, DropsEmojiAndKeepsOtherScripts) {
  EXPECT_EQ(FoldForParsing("Kopi😀Susu"), "kopi susu");
  EXPECT_EQ(FoldForParsing("咖啡"), "咖啡");
  EXPECT_EQ(FoldForParsing(std::string("a\xff\xfe"
                                       "b")),
            "a  b");
  EXPECT_EQ(CountCodePoints("é😀a", 100), 3u);
}

}  // namespace
}  // namespace milkyhoop::assistant::intent_internal
