#include "conversation_token.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

const std::string kKey(32, 'k');

TEST(ConversationTokens, IssuedTokenVerifiesForItsConversationOnly) {
  auto tokens = ConversationTokens::Create(kKey);
  ASSERT_TRUE(tokens.ok());
  const std::string t = tokens->Issue("cnv_1");
  EXPECT_TRUE(tokens->Verify("cnv_1", t));
  EXPECT_FALSE(tokens->Verify("cnv_2", t));
  EXPECT_FALSE(tokens->Verify("cnv_1", ""));
  EXPECT_FALSE(tokens->Verify("cnv_1", t.substr(0, t.size() - 1)));
  EXPECT_FALSE(tokens->Verify("cnv_1", tokens->Issue("cnv_2")));
}

TEST(ConversationTokens, AnotherKeyIssuesAnotherToken) {
  auto a = ConversationTokens::Create(kKey);
  auto b = ConversationTokens::Create(std::string(32, 'j'));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(b->Verify("cnv_1", a->Issue("cnv_1")));
}

TEST(ConversationTokens, RefusesShortKeys) {
  EXPECT_EQ(ConversationTokens::Create("short").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::chatbot
