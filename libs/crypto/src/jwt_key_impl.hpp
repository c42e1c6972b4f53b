#pragma once
// Internal: what a JwtKey holds. Shared by jwt_key.cpp, jwk.cpp, the signer and the verifier.

#include <string>

#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/crypto/secret.hpp"
#include "openssl_util.hpp"

namespace milkyhoop::crypto::internal {

struct JwtKeyImpl {
  std::string kid;
  JwtAlgorithm algorithm = JwtAlgorithm::kEdDSA;
  internal::PkeyPtr pkey;  // asymmetric algorithms
  SecretBytes secret;      // HS256
  bool has_private = false;
};

struct JwtKeyAccess {
  static const JwtKeyImpl& Get(const JwtKey& key) { return *key.impl_; }
  static JwtKey Make(JwtKeyImpl impl) {
    return JwtKey(std::make_shared<const JwtKeyImpl>(std::move(impl)));
  }
};

// kInvalidArgument unless 1..kMaxKidBytes bytes.
Status CheckKid(std::string_view kid);

// The algorithm an asymmetric key's type implies, after checking its strength (RSA bits,
// P-256 only). kInvalidArgument otherwise.
Result<JwtAlgorithm> AlgorithmForKey(EVP_PKEY* pkey);

}  // namespace milkyhoop::crypto::internal
