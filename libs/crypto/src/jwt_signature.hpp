#pragma once
// Internal: the JWS signature of each algorithm over the signing input ("<header>.<payload>"),
// in the JWS byte layout (ES256: raw R || S, not DER).

#include <string>
#include <string_view>

#include "jwt_key_impl.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto::internal {

Result<std::string> SignJws(const JwtKeyImpl& key, std::string_view signing_input);

// True only for a valid signature by `key` under the key's own algorithm.
bool VerifyJws(const JwtKeyImpl& key, std::string_view signing_input, std::string_view signature);

}  // namespace milkyhoop::crypto::internal
