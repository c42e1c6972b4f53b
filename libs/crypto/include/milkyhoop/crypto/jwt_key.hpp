#pragma once
// JwtKey: one signing or verification key, named by its `kid` and pinned to exactly one JWS
// algorithm. The pinning is what makes algorithm confusion impossible: a key made for RS256 is
// only ever used for RS256, whatever a token's header claims.
//
//   EdDSA (Ed25519)  our own tokens (small, fast, no parameters to get wrong)
//   RS256 (RSA)      our own tokens where a consumer cannot do EdDSA; most OIDC providers
//   ES256 (P-256)    OIDC providers' ID tokens
//   HS256 (secret)   service-internal tokens only; never published in a JWKS
//
// OpenSSL stays behind the opaque Impl. Copies share the key (immutable, thread-safe).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto {

enum class JwtAlgorithm { kEdDSA, kRS256, kES256, kHS256 };

// "EdDSA", "RS256", "ES256", "HS256".
std::string_view JwtAlgorithmName(JwtAlgorithm algorithm);
// Exactly those four names; nullopt for anything else ("none", "RS512", "hs256", ...).
std::optional<JwtAlgorithm> ParseJwtAlgorithm(std::string_view name);

namespace internal {
struct JwtKeyImpl;
struct JwtKeyAccess;
}  // namespace internal

class JwtKey {
 public:
  static constexpr std::size_t kMaxKidBytes = 256;
  static constexpr std::size_t kMinHmacSecretBytes = 32;  // RFC 7518 3.2: at least the hash size
  static constexpr int kMinRsaBits = 2048;
  static constexpr int kMaxRsaBits = 8192;

  // Fresh private keys. kInvalidArgument for an empty or over-long kid or RSA bits outside
  // [2048, 8192].
  static Result<JwtKey> GenerateEd25519(std::string kid);
  static Result<JwtKey> GenerateRsa(std::string kid, int bits = 2048);
  static Result<JwtKey> GenerateEs256(std::string kid);

  // PKCS#8 or traditional PEM; the algorithm follows from the key type (Ed25519 → EdDSA,
  // RSA → RS256, EC P-256 → ES256). Encrypted PEM is refused (never prompts for a passphrase).
  static Result<JwtKey> FromPrivatePem(std::string kid, std::string_view pem);
  // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"): a verification-only key.
  static Result<JwtKey> FromPublicPem(std::string kid, std::string_view pem);
  // HS256 with a secret of at least 32 bytes.
  static Result<JwtKey> FromHmacSecret(std::string kid, std::string_view secret);

  // A public JWK (RFC 7517/7518/8037): kty RSA (n, e), EC with crv P-256 (x, y), OKP with
  // crv Ed25519 (x). `kid` is required. `alg`, when present, must be the one the key type
  // implies (RS256 / ES256 / EdDSA); `use`, when present, must be "sig". Symmetric ("oct") and
  // private members are refused: this is for verifying other parties' tokens.
  static Result<JwtKey> FromJwk(const nlohmann::json& jwk);

  const std::string& kid() const;
  JwtAlgorithm algorithm() const;
  bool can_sign() const;      // holds a private key or an HMAC secret
  bool is_symmetric() const;  // HS256

  // The verification half: the public key alone for asymmetric keys; the key itself for HS256
  // (the secret both signs and verifies).
  JwtKey PublicKey() const;

  // PKCS#8 PEM, unencrypted: store it in a secret file, never in config or logs.
  // kFailedPrecondition for a public-only key or an HMAC key.
  Result<std::string> ToPrivatePem() const;
  // SubjectPublicKeyInfo PEM; kFailedPrecondition for an HMAC key.
  Result<std::string> ToPublicPem() const;
  // {"kty", ..., "kid", "alg", "use": "sig"}: OKP x / RSA n, e / EC crv, x, y.
  // kFailedPrecondition for an HMAC key: a shared secret is never published.
  Result<nlohmann::json> ToPublicJwk() const;

 private:
  friend struct internal::JwtKeyAccess;
  explicit JwtKey(std::shared_ptr<const internal::JwtKeyImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const internal::JwtKeyImpl> impl_;
};

// The document served at /.well-known/jwks.json: {"keys": [public JWKs]}. HMAC keys are left
// out, always.
nlohmann::json ToJwks(const std::vector<JwtKey>& keys);

// The usable keys of a JWKS document (e.g. an OIDC provider's jwks_uri). Keys this library
// cannot use (other algorithms or curves, use "enc", malformed members) are skipped and listed
// in `skipped` as "<kid>: <reason>", so one odd key does not hide the others.
struct JwksKeys {
  std::vector<JwtKey> keys;
  std::vector<std::string> skipped;
};
// kInvalidArgument when the document is over 1 MiB, not JSON, or has no "keys" array.
Result<JwksKeys> ParseJwks(std::string_view json_text);
Result<JwksKeys> ParseJwksJson(const nlohmann::json& document);

}  // namespace milkyhoop::crypto
