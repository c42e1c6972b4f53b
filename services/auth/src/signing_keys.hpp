#pragma once
// The keys that sign access tokens. One key is active (signs); keys retired by a rotation stay
// published (JWKS) and trusted until the last token they signed has expired, so a rotation
// logs nobody out. Private keys (and HS256 secrets) are stored sealed by the security service.
// Every replica re-reads the table every `reload_interval`, so a rotation made by one reaches
// the others.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/crypto/jwt_signer.hpp"
#include "milkyhoop/sql/database.hpp"
#include "secret_sealer.hpp"

namespace milkyhoop::auth {

struct SigningKeyOptions {
  crypto::JwtAlgorithm algorithm = crypto::JwtAlgorithm::kEdDSA;
  // Longest life of a token signed by a key, plus the verifiers' clock skew: how long a
  // retired key stays published.
  std::chrono::seconds publish_after_retire{900 + 300};
  std::chrono::seconds reload_interval{30};
};

class SigningKeys {
 public:
  // Loads the keys; when no key is active, or the active one has another algorithm, creates a
  // new active key (retiring the old one).
  static Result<std::unique_ptr<SigningKeys>> Open(sql::Database& db, SecretSealer& sealer,
                                                   const Clock& clock, SigningKeyOptions options);

  Result<std::string> Sign(const nlohmann::json& claims);
  // {"keys": [...]}: public keys of the active and still-published keys (never HS256).
  Result<std::string> PublicJwks();
  // The same keys for an in-process verifier, HS256 secrets included.
  Result<std::vector<crypto::JwtKey>> VerificationKeys();
  // Makes a new key active; returns its kid.
  Result<std::string> Rotate();

 private:
  struct Snapshot {
    std::shared_ptr<const crypto::JwtSigner> signer;
    std::vector<crypto::JwtKey> verification;  // public halves; HS256 keys as they are
    std::chrono::steady_clock::time_point loaded;
  };

  SigningKeys(sql::Database& db, SecretSealer& sealer, const Clock& clock,
              SigningKeyOptions options)
      : db_(db), sealer_(sealer), clock_(clock), options_(options) {}

  // Creates a new active key of options_.algorithm unless `only_if_needed` and a suitable
  // one is active. Returns the active kid.
  Result<std::string> EnsureActive(bool only_if_needed);
  Status Reload();
  Result<std::shared_ptr<const Snapshot>> Current();

  sql::Database& db_;
  SecretSealer& sealer_;
  const Clock& clock_;
  const SigningKeyOptions options_;
  std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace milkyhoop::auth
