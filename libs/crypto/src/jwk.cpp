// JWK (RFC 7517) export of our public keys for /.well-known/jwks.json, and import of other
// parties' public keys (an OIDC provider's jwks_uri) for verifying their tokens.

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdint>
#include <set>
#include <utility>

#include "jwt_key_impl.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"

namespace milkyhoop::crypto {
namespace {

using internal::BnPtr;
using internal::JwtKeyAccess;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;
using Json = nlohmann::json;

using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, internal::Deleter<&OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, internal::Deleter<&OSSL_PARAM_free>>;

constexpr std::size_t kP256CoordinateBytes = 32;
constexpr std::size_t kEd25519KeyBytes = 32;
constexpr std::size_t kMaxJwksBytes = 1 << 20;

Result<std::string> BnParam(EVP_PKEY* pkey, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    return Internal(std::string("jwk: cannot read ") + name + ": " + internal::TakeOpenSslError());
  }
  BnPtr bn(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (pad_to > 0 ? BN_bn2binpad(bn.get(), dst, pad_to) != pad_to
                 : BN_bn2bin(bn.get(), dst) != size) {
    return Internal("jwk: number export failed");
  }
  return out;
}

// A string member of `jwk`: nullopt when absent, an error when present but not a string.
Result<std::optional<std::string>> OptionalString(const Json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) return std::optional<std::string>();
  if (!it->is_string()) return InvalidArgument(std::string("jwk: '") + name + "' is not a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const Json& jwk, const char* name) {
  MH_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(jwk, name));
  if (!value || value->empty()) return InvalidArgument(std::string("jwk: '") + name + "' missing");
  return std::move(*value);
}

Result<std::string> RequiredBytes(const Json& jwk, const char* name) {
  MH_ASSIGN_OR_RETURN(std::string text, RequiredString(jwk, name));
  Result<std::string> bytes = Base64UrlDecode(text);
  if (!bytes.ok()) return InvalidArgument(std::string("jwk: '") + name + "' is not base64url");
  return bytes;
}

// `check_public`: run OpenSSL's public-key validation. Essential for EC (rejects points off the
// curve). Not used for RSA: OpenSSL's RSA check (SP 800-56B) includes a randomised primality
// test of n, so a malformed modulus could import on one try and fail on the next; RSA gets
// deterministic checks instead (RsaFromJwk), and a bad modulus can only fail verifications.
Result<PkeyPtr> FromData(const char* type, OSSL_PARAM_BLD* bld, bool check_public) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    internal::ClearOpenSslErrors();
    return InvalidArgument(std::string("jwk: not a valid ") + type + " public key");
  }
  PkeyPtr pkey(raw);
  if (!check_public) return pkey;
  // fromdata takes the numbers as given; the check rejects e.g. an EC point off the curve.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    internal::ClearOpenSslErrors();
    return InvalidArgument(std::string("jwk: not a valid ") + type + " public key");
  }
  return pkey;
}

Result<PkeyPtr> RsaFromJwk(const Json& jwk) {
  MH_ASSIGN_OR_RETURN(std::string n, RequiredBytes(jwk, "n"));
  MH_ASSIGN_OR_RETURN(std::string e, RequiredBytes(jwk, "e"));
  if (n.size() > JwtKey::kMaxRsaBits / 8 + 1) return InvalidArgument("jwk: RSA modulus too large");
  // An RSA modulus and public exponent are odd; e = 1 would make "signatures" trivial.
  if (n.empty() || (static_cast<unsigned char>(n.back()) & 1) == 0) {
    return InvalidArgument("jwk: bad RSA modulus");
  }
  if (e.empty() || e.size() > 8) return InvalidArgument("jwk: bad RSA exponent");
  std::uint64_t exponent = 0;
  for (unsigned char byte : e) exponent = (exponent << 8) | byte;
  if (exponent < 3 || exponent % 2 == 0) return InvalidArgument("jwk: bad RSA exponent");
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()),
                       nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()),
                       nullptr));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Internal("jwk: out of memory");
  }
  return FromData("RSA", bld.get(), /*check_public=*/false);
}

Result<PkeyPtr> EcFromJwk(const Json& jwk) {
  MH_ASSIGN_OR_RETURN(std::string crv, RequiredString(jwk, "crv"));
  if (crv != "P-256") return InvalidArgument("jwk: EC curve '" + crv + "' is not supported");
  MH_ASSIGN_OR_RETURN(std::string x, RequiredBytes(jwk, "x"));
  MH_ASSIGN_OR_RETURN(std::string y, RequiredBytes(jwk, "y"));
  if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
    return InvalidArgument("jwk: P-256 coordinates must be 32 bytes");
  }
  std::string point = "\x04" + x + y;  // SEC 1 uncompressed point
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Internal("jwk: out of memory");
  }
  return FromData("EC", bld.get(), /*check_public=*/true);
}

Result<PkeyPtr> OkpFromJwk(const Json& jwk) {
  MH_ASSIGN_OR_RETURN(std::string crv, RequiredString(jwk, "crv"));
  if (crv != "Ed25519") return InvalidArgument("jwk: OKP curve '" + crv + "' is not supported");
  MH_ASSIGN_OR_RETURN(std::string x, RequiredBytes(jwk, "x"));
  if (x.size() != kEd25519KeyBytes) return InvalidArgument("jwk: Ed25519 key must be 32 bytes");
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size()));
  if (!pkey) {
    internal::ClearOpenSslErrors();
    return InvalidArgument("jwk: not a valid Ed25519 public key");
  }
  return pkey;
}

}  // namespace

Result<JwtKey> JwtKey::FromJwk(const Json& jwk) {
  if (!jwk.is_object()) return InvalidArgument("jwk: not a JSON object");
  MH_ASSIGN_OR_RETURN(std::string kid, RequiredString(jwk, "kid"));
  MH_TRY(internal::CheckKid(kid));
  MH_ASSIGN_OR_RETURN(std::string kty, RequiredString(jwk, "kty"));
  MH_ASSIGN_OR_RETURN(std::optional<std::string> use, OptionalString(jwk, "use"));
  if (use && *use != "sig") return InvalidArgument("jwk: use '" + *use + "' is not 'sig'");
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (jwk.contains(member)) {
      return InvalidArgument("jwk: holds private or symmetric key material ('" +
                             std::string(member) + "')");
    }
  }
  Result<PkeyPtr> pkey = InvalidArgument("jwk: key type '" + kty + "' is not supported");
  if (kty == "RSA") {
    pkey = RsaFromJwk(jwk);
  } else if (kty == "EC") {
    pkey = EcFromJwk(jwk);
  } else if (kty == "OKP") {
    pkey = OkpFromJwk(jwk);
  }
  if (!pkey.ok()) return std::move(pkey).TakeStatus();
  MH_ASSIGN_OR_RETURN(JwtAlgorithm implied, internal::AlgorithmForKey(pkey->get()));
  MH_ASSIGN_OR_RETURN(std::optional<std::string> alg, OptionalString(jwk, "alg"));
  if (alg && ParseJwtAlgorithm(*alg) != implied) {
    return InvalidArgument("jwk: alg '" + *alg + "' is not supported for a " + kty + " key");
  }
  internal::JwtKeyImpl impl;
  impl.kid = std::move(kid);
  impl.algorithm = implied;
  impl.pkey = std::move(pkey).value();
  impl.has_private = false;
  return JwtKeyAccess::Make(std::move(impl));
}

Result<Json> JwtKey::ToPublicJwk() const {
  if (is_symmetric()) return FailedPrecondition("an HS256 key is never published");
  EVP_PKEY* pkey = impl_->pkey.get();
  Json jwk;
  switch (impl_->algorithm) {
    case JwtAlgorithm::kEdDSA: {
      unsigned char raw[kEd25519KeyBytes];
      std::size_t len = sizeof(raw);
      if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1) {
        return Internal("jwk: Ed25519 export failed: " + internal::TakeOpenSslError());
      }
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw), len));
      break;
    }
    case JwtAlgorithm::kRS256: {
      MH_ASSIGN_OR_RETURN(std::string n, BnParam(pkey, OSSL_PKEY_PARAM_RSA_N));
      MH_ASSIGN_OR_RETURN(std::string e, BnParam(pkey, OSSL_PKEY_PARAM_RSA_E));
      jwk["kty"] = "RSA";
      jwk["n"] = Base64UrlEncode(n);
      jwk["e"] = Base64UrlEncode(e);
      break;
    }
    case JwtAlgorithm::kES256: {
      MH_ASSIGN_OR_RETURN(std::string x, BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32));
      MH_ASSIGN_OR_RETURN(std::string y, BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = Base64UrlEncode(x);
      jwk["y"] = Base64UrlEncode(y);
      break;
    }
    case JwtAlgorithm::kHS256:
      return FailedPrecondition("an HS256 key is never published");
  }
  jwk["kid"] = impl_->kid;
  jwk["alg"] = std::string(JwtAlgorithmName(impl_->algorithm));
  jwk["use"] = "sig";
  return jwk;
}

Json ToJwks(const std::vector<JwtKey>& keys) {
  Json list = Json::array();
  for (const JwtKey& key : keys) {
    if (key.is_symmetric()) continue;
    Result<Json> jwk = key.ToPublicJwk();
    if (jwk.ok()) list.push_back(std::move(jwk).value());
  }
  return Json{{"keys", std::move(list)}};
}

Result<JwksKeys> ParseJwks(std::string_view json_text) {
  // Real documents hold a handful of keys (a few KiB); a huge one is an attack or a wrong URL.
  if (json_text.size() > kMaxJwksBytes) return InvalidArgument("jwks: larger than 1 MiB");
  Json document = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return InvalidArgument("jwks: not valid JSON");
  return ParseJwksJson(document);
}

Result<JwksKeys> ParseJwksJson(const Json& document) {
  if (!document.is_object()) return InvalidArgument("jwks: not a JSON object");
  const auto it = document.find("keys");
  if (it == document.end() || !it->is_array()) return InvalidArgument("jwks: no 'keys' array");
  JwksKeys out;
  std::set<std::string, std::less<>> kids;
  for (const Json& jwk : *it) {
    std::string kid = "?";
    if (jwk.is_object() && jwk.contains("kid") && jwk["kid"].is_string()) {
      kid = jwk["kid"].get<std::string>().substr(0, 64);
    }
    Result<JwtKey> key = JwtKey::FromJwk(jwk);
    if (!key.ok()) {
      out.skipped.push_back(kid + ": " + key.status().message());
      continue;
    }
    if (!kids.insert(key->kid()).second) {
      out.skipped.push_back(kid + ": duplicate kid");
      continue;
    }
    out.keys.push_back(std::move(key).value());
  }
  return out;
}

}  // namespace milkyhoop::crypto
