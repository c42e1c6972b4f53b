#include "text_tokenizer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace milkyhoop::rag {
namespace {

using ::testing::ElementsAre;

TEST(TextTokenizerTest, LowerCasesAndSplitsOnPunctuation) {
  EXPECT_THAT(TokenizeText("Jam BERAPA buka, kak?!", 100),
              ElementsAre("jam", "berapa", "buka", "kak"));
}

TEST(TextTokenizerTest, FoldsAccents) {
  EXPECT_THAT(TokenizeText("Café Crème Brûlée Straße", 100),
              ElementsAre("cafe", "creme", "brulee", "strasse"));
}

TEST(TextTokenizerTest, HyphensReduplicationAndShortParts) {
  EXPECT_THAT(TokenizeText("kue-kue gado-gado Wi-Fi pesan-antar H-3", 100),
              ElementsAre("kue", "gado", "wifi", "pesan", "antar", "h3"));
}

TEST(TextTokenizerTest, KeepsNumbersWhole) {
  EXPECT_THAT(TokenizeText("Rp 15.000, buka 07.00", 100),
              ElementsAre("rp", "15000", "buka", "0700"));
}

TEST(TextTokenizerTest, CollapsesLettersRepeatedThreeTimes) {
  EXPECT_THAT(TokenizeText("bisaaa kakkk maaf 1000", 100),
              ElementsAre("bisa", "kak", "maaf", "1000"));
}

TEST(TextTokenizerTest, EmojiAndInvalidUtf8SeparateWords) {
  EXPECT_THAT(TokenizeText("enak\xF0\x9F\x98\x8B"
                           "banget \xFF\xFE"
                           "ok",
                           100),
              ElementsAre("enak", "banget", "ok"));
}

TEST(TextTokenizerTest, StopsAtTheWordLimit) {
  EXPECT_EQ(TokenizeText("a b c d e f", 3).size(), 3u);
}

}  // namespace
}  // namespace milkyhoop::rag
