#pragma once
// AES-256-GCM with associated data. The building block of Envelope; use Envelope for values
// at rest rather than this directly.

#include <cstddef>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto {

inline constexpr std::size_t kAes256KeyBytes = 32;
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

// Returns ciphertext || 16-byte tag. A (key, nonce) pair must never be used twice: callers use
// a fresh random nonce or a single-use key. kInvalidArgument for a wrong key or nonce size.
Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce,
                               std::string_view plaintext, std::string_view aad);

// Opens ciphertext || tag. kInvalidArgument when it does not authenticate (wrong key, nonce or
// AAD, or tampered bytes); no plaintext is returned in that case.
Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                               std::string_view sealed, std::string_view aad);

}  // namespace milkyhoop::crypto
