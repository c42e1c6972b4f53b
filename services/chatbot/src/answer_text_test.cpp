#include "answer_text.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/chatbot/chatbot_service.hpp"

namespace milkyhoop::chatbot {
namespace {

TEST(TruncateUtf8, KeepsShortTextAndCutsLongOnBoundaries) {
  EXPECT_EQ(TruncateUtf8("abc", 3), "abc");
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc…");
  EXPECT_EQ(TruncateUtf8("aé", 2), "a…");
}

TEST(SplitIntoDeltas, KeepsEveryByteInFewWordPieces) {
  const std::string text = "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.";
  auto parts = SplitIntoDeltas(text, 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "Kami buka setiap ");
  std::string joined;
  for (const auto& p : parts) joined += p;
  EXPECT_EQ(joined, text);
  EXPECT_TRUE(SplitIntoDeltas("", 3).empty());
  EXPECT_EQ(SplitIntoDeltas("  satu", 3), std::vector<std::string>{"  satu"});
}

TEST(AnswerText, DeflectionAndNoticeSpeakTheAnswerLanguage) {
  EXPECT_NE(DefaultDeflection("id", "Warung Bu Sari").find("Maaf"), std::string::npos);
  EXPECT_NE(DefaultDeflection("id", "Warung Bu Sari").find("Warung Bu Sari"), std::string::npos);
  EXPECT_NE(DefaultDeflection("en", "").find("Sorry"), std::string::npos);
  EXPECT_NE(HandoffNotice("id").find("admin"), std::string::npos);
  EXPECT_NE(HandoffNotice("en").find("team"), std::string::npos);
}

TEST(AnswerText, ExtractiveAnswerIsTheSourcesOwnWords) {
  rag::v1::SearchResult faq;
  faq.set_source_type("faq");
  faq.set_title("Jam buka?");
  faq.set_text("Kami buka 07.00.");
  EXPECT_EQ(ExtractiveAnswer(faq), "Kami buka 07.00.");
  rag::v1::SearchResult product;
  product.set_source_type("product");
  product.set_title("Nasi Goreng");
  product.set_text("Rp 15.000 per porsi");
  EXPECT_EQ(ExtractiveAnswer(product), "Nasi Goreng: Rp 15.000 per porsi");
}

}  // namespace
}  // namespace milkyhoop::chatbot
