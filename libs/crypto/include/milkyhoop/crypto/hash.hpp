#pragma once
// Hashes, MACs and key derivation over OpenSSL, with byte strings in and out (raw bytes, not
// hex; use HexEncode from milkyhoop/core/ids.hpp for text).

#include <cstddef>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto {

enum class HashAlgorithm { kSha1, kSha256, kSha512 };

std::string Sha256(std::string_view data);

// HMAC with the given hash. SHA-1 is here for TOTP (RFC 6238's default), nothing else.
std::string Hmac(HashAlgorithm algorithm, std::string_view key, std::string_view data);
inline std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac(HashAlgorithm::kSha1, key, data);
}
inline std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(HashAlgorithm::kSha256, key, data);
}
inline std::string HmacSha512(std::string_view key, std::string_view data) {
  return Hmac(HashAlgorithm::kSha512, key, data);
}

// HKDF-SHA256 (RFC 5869), extract + expand. `length` at most 255 * 32.
Result<std::string> HkdfSha256(std::string_view key, std::string_view salt, std::string_view info,
                               std::size_t length);

// Compares in time that depends only on the lengths (CRYPTO_memcmp), for MACs, tokens and codes.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace milkyhoop::crypto
