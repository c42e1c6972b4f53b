#pragma once
// Identifiers and randomness. Ids are time-ordered (48-bit milliseconds + 80 random bits,
// Crockford base32, 26 characters) behind a short type prefix, so "ORDER BY id" is creation
// order and cursors stay stable.
#include <cstddef>
#include <string>
#include <string_view>

namespace milkyhoop {

std::string NewId(std::string_view prefix);
// Cryptographically secure random bytes (OpenSSL's DRBG). Aborts if the DRBG fails.
std::string RandomBytes(std::size_t n);
std::string HexEncode(std::string_view bytes);
// 32 lowercase hex characters, as used by W3C trace ids and our request ids.
std::string RandomHex(std::size_t bytes);

}  // namespace milkyhoop
