#include "milkyhoop/crypto/jwt_signer.hpp"

#include <utility>

#include "jwt_key_impl.hpp"
#include "jwt_signature.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto {

Result<JwtSigner> JwtSigner::Create(JwtKey key) {
  if (!key.can_sign()) {
    return FailedPrecondition("key '" + key.kid() + "' has no private part and cannot sign");
  }
  return JwtSigner(std::move(key));
}

Result<std::string> JwtSigner::Sign(const nlohmann::json& claims) const {
  if (!claims.is_object()) return InvalidField("claims", "must be a JSON object");
  const nlohmann::json header = {{"alg", std::string(JwtAlgorithmName(key_.algorithm()))},
                                 {"kid", key_.kid()},
                                 {"typ", "JWT"}};
  std::string token = Base64UrlEncode(header.dump());
  token += '.';
  token += Base64UrlEncode(claims.dump());
  MH_ASSIGN_OR_RETURN(std::string signature,
                      internal::SignJws(internal::JwtKeyAccess::Get(key_), token));
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

void SetStandardClaims(nlohmann::json& claims, const StandardClaims& standard) {
  if (!claims.is_object()) claims = nlohmann::json::object();
  const std::int64_t iat =
      std::chrono::duration_cast<std::chrono::seconds>(standard.issued_at.time_since_epoch())
          .count();
  if (!standard.issuer.empty()) claims["iss"] = standard.issuer;
  if (!standard.subject.empty()) claims["sub"] = standard.subject;
  if (standard.audience.size() == 1) {
    claims["aud"] = standard.audience.front();
  } else if (!standard.audience.empty()) {
    claims["aud"] = standard.audience;
  }
  claims["iat"] = iat;
  claims["nbf"] = iat;
  claims["exp"] = iat + standard.time_to_live.count();
  claims["jti"] = standard.jwt_id.empty() ? RandomHex(16) : standard.jwt_id;
}

}  // namespace milkyhoop::crypto
