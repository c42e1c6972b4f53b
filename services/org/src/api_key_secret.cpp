#include "api_key_secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::org {
namespace {

constexpr std::string_view kLead = "mh_";
// base64url of 32 bytes without padding.
constexpr std::size_t kEncodedSecretChars = (kApiKeySecretBytes * 8 + 5) / 6;

std::string Base64UrlNoPad(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3F];
  return out;
}

bool IsPrefixChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

GeneratedApiKey GenerateApiKey() {
  static constexpr char kPrefixAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  // 5 random bytes = 40 bits = 8 base32 characters.
  const std::string prefix_bytes = RandomBytes(5);
  std::uint64_t bits = 0;
  for (unsigned char c : prefix_bytes) bits = (bits << 8) | c;
  GeneratedApiKey key;
  for (int i = static_cast<int>(kApiKeyPrefixChars) - 1; i >= 0; --i) {
    key.prefix.insert(key.prefix.begin(), kPrefixAlphabet[bits & 0x1F]);
    bits >>= 5;
  }
  key.secret =
      std::string(kLead) + key.prefix + "_" + Base64UrlNoPad(RandomBytes(kApiKeySecretBytes));
  key.secret_hash = HashApiKeySecret(key.secret);
  return key;
}

std::optional<std::string> ParseApiKeyPrefix(std::string_view secret) {
  constexpr std::size_t kTotal = kLead.size() + kApiKeyPrefixChars + 1 + kEncodedSecretChars;
  if (secret.size() != kTotal || secret.substr(0, kLead.size()) != kLead ||
      secret[kLead.size() + kApiKeyPrefixChars] != '_') {
    return std::nullopt;
  }
  const std::string_view prefix = secret.substr(kLead.size(), kApiKeyPrefixChars);
  const std::string_view body = secret.substr(kLead.size() + kApiKeyPrefixChars + 1);
  for (char c : prefix) {
    if (!IsPrefixChar(c)) return std::nullopt;
  }
  for (char c : body) {
    if (!IsBase64UrlChar(c)) return std::nullopt;
  }
  return std::string(prefix);
}

std::string HashApiKeySecret(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest with SHA-256 fails only on allocation failure; an empty hash then never matches.
  if (EVP_Digest(secret.data(), secret.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

bool ApiKeyHashesEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace milkyhoop::org
