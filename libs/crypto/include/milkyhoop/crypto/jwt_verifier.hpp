#pragma once
// JwtVerifier: checks compact JWS tokens against a set of keys looked up by `kid`.
//
// A token is accepted only if all hold, checked in this order (the first failure is reported,
// with kUnauthenticated and a message saying which):
//   size <= max_token_bytes; exactly 3 segments; header is base64url JSON object; alg is not
//   "none" and is supported; no "crit" header; kid present and known; alg equals the key's
//   pinned algorithm; signature valid; payload is base64url JSON object; exp present and not
//   passed; nbf (if present) not in the future; iat (if present) not in the future; iss equals
//   the expected issuer; aud equals or contains the expected audience.
// Time checks allow `clock_skew` either way, with time read from the injected Clock.
// Claims are parsed only after the signature verified.
//
// Keys can be added or replaced while other threads verify (a JWKS refresh, a rotation).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"

namespace milkyhoop::crypto {

struct JwtVerifierOptions {
  std::string issuer{};                 // required: the exact `iss` expected
  std::string audience{};               // required: must be `aud`, or one of its elements
  std::chrono::seconds clock_skew{60};  // 0..300 s
  std::size_t max_token_bytes = 8 * 1024;
};

struct VerifiedJwt {
  nlohmann::json header;
  nlohmann::json claims;
  std::string kid;
  JwtAlgorithm algorithm = JwtAlgorithm::kEdDSA;
};

class JwtVerifier {
 public:
  static constexpr std::chrono::seconds kMaxClockSkew{300};

  // `clock` must outlive the verifier. kInvalidArgument for an empty issuer or audience, a skew
  // outside 0..300 s, or bad keys (see SetKeys).
  static Result<JwtVerifier> Create(const Clock& clock, JwtVerifierOptions options,
                                    std::vector<JwtKey> keys = {});

  Result<VerifiedJwt> Verify(std::string_view token) const;

  // Only the public half of an asymmetric key is kept. kAlreadyExists for a kid in use.
  Status AddKey(const JwtKey& key);
  // False when no key had this kid.
  bool RemoveKey(std::string_view kid);
  // Replaces every key at once. kInvalidArgument for a duplicate kid (nothing is replaced).
  Status SetKeys(const std::vector<JwtKey>& keys);
  std::vector<std::string> Kids() const;
  // Changes whenever the key set does: what a token verified under one generation may not
  // verify under the next.
  std::uint64_t KeyGeneration() const;

  const JwtVerifierOptions& options() const;

 private:
  struct State;
  explicit JwtVerifier(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace milkyhoop::crypto
