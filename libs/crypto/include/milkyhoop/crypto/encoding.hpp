#pragma once
// Binary-to-text encodings used by tokens, key files and TOTP secrets (RFC 4648).
// Decoders are strict and return kInvalidArgument instead of guessing: the inputs are often
// attacker-controlled (JWT segments, sealed values).

#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto {

// Standard alphabet with '=' padding (key files, env values).
std::string Base64Encode(std::string_view bytes);
// Accepts exactly what Base64Encode produces: padding required, no whitespace.
Result<std::string> Base64Decode(std::string_view text);

// URL-safe alphabet, no padding (JWT segments, JWK members, sealed envelopes).
std::string Base64UrlEncode(std::string_view bytes);
// Rejects '=' padding, characters outside the alphabet, a length of 4n+1 and non-zero trailing
// bits, so every byte string has exactly one accepted encoding.
Result<std::string> Base64UrlDecode(std::string_view text);

// RFC 4648 base32 (A-Z2-7), no padding: the form authenticator apps expect for TOTP secrets.
std::string Base32Encode(std::string_view bytes);
// Case-insensitive; ignores trailing '=' padding and spaces (people type these secrets in).
Result<std::string> Base32Decode(std::string_view text);

}  // namespace milkyhoop::crypto
