#include "text_normalize.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

TEST(NormalizeText, LowersStripsPunctuationAndCollapsesSpaces) {
  EXPECT_EQ(NormalizeText("  Jam BRP buka, kak?!  "), "jam brp buka kak");
  EXPECT_EQ(NormalizeText("Wi-Fi\tada\n\ngratis"), "wi fi ada gratis");
  EXPECT_EQ(NormalizeText("???"), "");
}

TEST(NormalizeText, KeepsMultiByteCharacters) {
  EXPECT_EQ(NormalizeText("Café ENAK"), "café enak");
}

TEST(SplitWords, SplitsOnSingleSpaces) {
  EXPECT_EQ(SplitWords("mau bicara dengan admin"),
            (std::vector<std::string>{"mau", "bicara", "dengan", "admin"}));
  EXPECT_TRUE(SplitWords("").empty());
}

}  // namespace
}  // namespace milkyhoop::chatbot
