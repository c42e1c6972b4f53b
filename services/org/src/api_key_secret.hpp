#pragma once
// API key secrets: "mh_" + 8-character public prefix + "_" + 32 random bytes in base64url
// (43 characters). The prefix finds the key row; only SHA-256 of the whole secret is stored.

#include <optional>
#include <string>
#include <string_view>

namespace milkyhoop::org {

inline constexpr std::size_t kApiKeyPrefixChars = 8;
inline constexpr std::size_t kApiKeySecretBytes = 32;

struct GeneratedApiKey {
  std::string prefix;       // 8 characters of [a-z2-7]
  std::string secret;       // what the client is given, once
  std::string secret_hash;  // lowercase hex SHA-256 of `secret`
};

GeneratedApiKey GenerateApiKey();

// The prefix of a well-formed secret; nullopt for anything else.
std::optional<std::string> ParseApiKeyPrefix(std::string_view secret);

// Lowercase hex SHA-256.
std::string HashApiKeySecret(std::string_view secret);

// Constant-time comparison (CRYPTO_memcmp) of two hashes; false when the lengths differ.
bool ApiKeyHashesEqual(std::string_view a, std::string_view b);

}  // namespace milkyhoop::org
