#include "language.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

TEST(LanguageDetector, RecognisesIndonesianChat) {
  const auto& d = LanguageDetector::Default();
  EXPECT_EQ(d.Detect("jam brp buka kak?", "en"), "id");
  EXPECT_EQ(d.Detect("bisa delivery gak?", "en"), "id");
  EXPECT_EQ(d.Detect("mau bicara dengan admin", "en"), "id");
}

TEST(LanguageDetector, RecognisesEnglish) {
  const auto& d = LanguageDetector::Default();
  EXPECT_EQ(d.Detect("What time do you open?", "id"), "en");
  EXPECT_EQ(d.Detect("can I talk to a person please", "id"), "en");
}

TEST(LanguageDetector, UndecidedKeepsTheFallback) {
  const auto& d = LanguageDetector::Default();
  EXPECT_EQ(d.Detect("nasi goreng", "en"), "en");
  EXPECT_EQ(d.Detect("nasi goreng", "id"), "id");
  EXPECT_EQ(d.Detect("", "fr"), "id");
}

TEST(LanguageDetector, UsesTheGivenLists) {
  LanguageDetector d("# comment\nsaya\n", "hello\n");
  EXPECT_EQ(d.Detect("Hello!", "id"), "en");
  EXPECT_EQ(d.Detect("saya", "en"), "id");
}

}  // namespace
}  // namespace milkyhoop::chatbot
