#pragma once
// Internal: the structure of a compact JWS (RFC 7515 7.1) and the claim checks of RFC 7519,
// apart from any key, so each can be tested and fuzzed on its own.

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto::internal {

struct JwtParts {
  std::string_view signing_input;  // "<header>.<payload>", what the signature covers
  std::string_view payload_b64;
  nlohmann::json header;  // an object
  std::string signature;  // decoded bytes
};

// Checks size, segment count, and decodes the header (a JSON object) and the signature.
// The payload is left encoded: it is decoded only once the signature holds.
Result<JwtParts> SplitJwt(std::string_view token, std::size_t max_bytes);

// base64url → JSON object; `what` names the segment in the error.
Result<nlohmann::json> DecodeJsonObject(std::string_view b64, std::string_view what);

struct ClaimChecks {
  std::string_view issuer{};
  std::string_view audience{};
  std::chrono::seconds skew{60};
  Clock::TimePoint now{};
};

// exp (required), nbf, iat, iss, aud, in that order.
Status CheckClaims(const nlohmann::json& claims, const ClaimChecks& checks);

// `text` cut to 64 bytes with anything but printable ASCII replaced, fit to quote in an error
// message (token contents are attacker-controlled and end up in logs).
std::string Printable(std::string_view text);

}  // namespace milkyhoop::crypto::internal
