#include "conversation_token.hpp"

#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::chatbot {
namespace {
// Domain separation: the same key must never produce a valid MAC for another purpose.
constexpr std::string_view kDomain = "milkyhoop.chatbot.conversation.v1:";
}  // namespace

Result<ConversationTokens> ConversationTokens::Create(std::string key) {
  if (key.size() < kMinTokenKeyBytes) {
    return InvalidArgument("the conversation token key must be at least 32 bytes");
  }
  return ConversationTokens(std::move(key));
}

std::string ConversationTokens::Issue(std::string_view conversation_id) const {
  std::string data(kDomain);
  data.append(conversation_id);
  return crypto::Base64UrlEncode(crypto::HmacSha256(key_, data));
}

bool ConversationTokens::Verify(std::string_view conversation_id, std::string_view token) const {
  if (conversation_id.empty() || token.empty() || token.size() > 128) return false;
  return crypto::ConstantTimeEquals(Issue(conversation_id), token);
}

}  // namespace milkyhoop::chatbot
