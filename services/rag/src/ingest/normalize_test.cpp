#include "normalize.hpp"

#include <gtest/gtest.h>

#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

TEST(NormalizeTest, CollapsesEveryKindOfWhitespace) {
  EXPECT_EQ(NormalizeLine("  Buka\t\tjam 08.00\r\n-\xC2\xA0"
                          "21.00\xE2\x80\x83WIB  "),
            "Buka jam 08.00 - 21.00 WIB");
}

TEST(NormalizeTest, AppendsAfterExistingTextWithoutDoublingSpaces) {
  std::string out = "satu ";
  AppendNormalized(out, "  dua");
  EXPECT_EQ(out, "satu dua");
  out += '\n';
  AppendNormalized(out, "   tiga");
  EXPECT_EQ(out, "satu dua\ntiga");  // no space opens a line
}

TEST(NormalizeTest, DropsControlAndInvisibleCharacters) {
  EXPECT_EQ(NormalizeLine("a\x01"
                          "b\x7F"
                          "c\xE2\x80\x8B"
                          "d\xC2\xAD"
                          "e\xEF\xBB\xBF"
                          "f"),
            "abcdef");
  EXPECT_EQ(NormalizeLine("x\xE2\x80\xAEy"), "xy");  // a right-to-left override
}

TEST(NormalizeTest, KeepsEmojiAndJoiners) {
  const std::string family = "👨\xE2\x80\x8D👩\xE2\x80\x8D👧";
  EXPECT_EQ(NormalizeLine("Promo " + family + " 🎉"), "Promo " + family + " 🎉");
}

TEST(NormalizeTest, ComposesCommonDecompositionsAndExpandsLigatures) {
  EXPECT_EQ(NormalizeLine("Cafe\xCC\x81 cre\xCC\x80me Jalapen\xCC\x83o"), "Café crème Jalapeño");
  EXPECT_EQ(NormalizeLine("pro\xEF\xAC\x81t \xEF\xAC\x82"
                          "at"),
            "profit flat");
  // A mark with nothing to compose with stays (still valid UTF-8).
  EXPECT_EQ(NormalizeLine("x\xCC\x81"), "x\xCC\x81");
}

TEST(NormalizeTest, ReadsStrayBytesAsWindows1252) {
  EXPECT_EQ(NormalizeLine("Caf\xE9 \x93"
                          "enak\x94 \x80"
                          "5"),
            "Café “enak” €5");
  const std::string out = NormalizeLine("\x81\xFF\xC3");
  EXPECT_TRUE(IsValidUtf8(out));
  EXPECT_EQ(out, "ÿÃ");  // 0x81 is undefined in Windows-1252: dropped
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
