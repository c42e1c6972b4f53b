#pragma once
// The token a public client presents to continue its own conversation: HMAC-SHA256 of the
// conversation id under a server key, base64url. Stateless (nothing stored), unguessable without
// the key, bound to one conversation; checked in constant time.
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::chatbot {

inline constexpr std::size_t kMinTokenKeyBytes = 32;

class ConversationTokens {
 public:
  // kInvalidArgument when the key is shorter than kMinTokenKeyBytes.
  static Result<ConversationTokens> Create(std::string key);

  std::string Issue(std::string_view conversation_id) const;
  bool Verify(std::string_view conversation_id, std::string_view token) const;

 private:
  explicit ConversationTokens(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace milkyhoop::chatbot
