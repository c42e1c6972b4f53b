#pragma once
// JwtSigner: compact JWS tokens signed with one key; the header carries the key's alg and kid.
// Keep one signer per active key; after a rotation the verifier keeps the old public key until
// the last token it signed has expired.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"

namespace milkyhoop::crypto {

class JwtSigner {
 public:
  // kFailedPrecondition when `key` cannot sign (a public key).
  static Result<JwtSigner> Create(JwtKey key);

  // header {"alg", "kid", "typ": "JWT"} . claims . signature. kInvalidArgument when `claims`
  // is not a JSON object.
  Result<std::string> Sign(const nlohmann::json& claims) const;

  const JwtKey& key() const { return key_; }

 private:
  explicit JwtSigner(JwtKey key) : key_(std::move(key)) {}
  JwtKey key_;
};

// The registered claims (RFC 7519 4.1) most tokens carry.
struct StandardClaims {
  std::string issuer{};                    // iss
  std::string subject{};                   // sub
  std::vector<std::string> audience{};     // aud: a string when one, an array when several
  Clock::TimePoint issued_at{};            // iat and nbf
  std::chrono::seconds time_to_live{900};  // exp = iat + ttl
  std::string jwt_id{};                    // jti; a random one when empty
};

// Sets iss, sub, aud, iat, nbf, exp and jti on `claims` (an object; others are kept), leaving
// out empty strings. Times are whole seconds since the epoch.
void SetStandardClaims(nlohmann::json& claims, const StandardClaims& standard);

}  // namespace milkyhoop::crypto
