#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "jwt_key_impl.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"

namespace milkyhoop::crypto {
namespace {

using internal::BioPtr;
using internal::JwtKeyAccess;
using internal::PkeyPtr;

constexpr std::size_t kMaxPemBytes = 64 * 1024;

// Refuses every passphrase prompt: without it OpenSSL would read one from the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

Result<BioPtr> ReadBio(std::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) return InvalidArgument("pem: empty or too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Internal("pem: out of memory");
  return bio;
}

Result<JwtKey> FromPkey(std::string kid, PkeyPtr pkey, bool has_private) {
  MH_TRY(internal::CheckKid(kid));
  MH_ASSIGN_OR_RETURN(JwtAlgorithm algorithm, internal::AlgorithmForKey(pkey.get()));
  internal::JwtKeyImpl impl;
  impl.kid = std::move(kid);
  impl.algorithm = algorithm;
  impl.pkey = std::move(pkey);
  impl.has_private = has_private;
  return JwtKeyAccess::Make(std::move(impl));
}

Result<JwtKey> Generated(std::string kid, EVP_PKEY* pkey) {
  if (pkey == nullptr) return Internal("key generation failed: " + internal::TakeOpenSslError());
  return FromPkey(std::move(kid), PkeyPtr(pkey), /*has_private=*/true);
}

// The public half of `pkey` as a key of its own, holding no private material.
Result<PkeyPtr> PublicHalf(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(pkey, &der);
  if (len <= 0) return Internal("public key export failed: " + internal::TakeOpenSslError());
  const unsigned char* p = der;
  PkeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  if (!pub) return Internal("public key import failed: " + internal::TakeOpenSslError());
  return pub;
}

}  // namespace

namespace internal {

Status CheckKid(std::string_view kid) {
  if (kid.empty()) return InvalidField("kid", "is required");
  if (kid.size() > JwtKey::kMaxKidBytes) return InvalidField("kid", "is longer than 256 bytes");
  return Status::Ok();
}

Result<JwtAlgorithm> AlgorithmForKey(EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_ED25519:
      return JwtAlgorithm::kEdDSA;
    case EVP_PKEY_RSA: {
      const int bits = EVP_PKEY_get_bits(pkey);
      if (bits < JwtKey::kMinRsaBits || bits > JwtKey::kMaxRsaBits) {
        return InvalidArgument("RSA key of " + std::to_string(bits) +
                               " bits: must be 2048 to 8192");
      }
      return JwtAlgorithm::kRS256;
    }
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                         &len) != 1 ||
          std::strcmp(group, "prime256v1") != 0) {
        ClearOpenSslErrors();
        return InvalidArgument("EC key: only the P-256 curve is supported");
      }
      return JwtAlgorithm::kES256;
    }
    default:
      return InvalidArgument("unsupported key type (Ed25519, RSA and EC P-256 are supported)");
  }
}

}  // namespace internal

std::string_view JwtAlgorithmName(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::kEdDSA:
      return "EdDSA";
    case JwtAlgorithm::kRS256:
      return "RS256";
    case JwtAlgorithm::kES256:
      return "ES256";
    case JwtAlgorithm::kHS256:
      return "HS256";
  }
  return "unknown";
}

std::optional<JwtAlgorithm> ParseJwtAlgorithm(std::string_view name) {
  for (JwtAlgorithm a :
       {JwtAlgorithm::kEdDSA, JwtAlgorithm::kRS256, JwtAlgorithm::kES256, JwtAlgorithm::kHS256}) {
    if (JwtAlgorithmName(a) == name) return a;
  }
  return std::nullopt;
}

Result<JwtKey> JwtKey::GenerateEd25519(std::string kid) {
  MH_TRY(internal::CheckKid(kid));
  return Generated(std::move(kid), EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
}

Result<JwtKey> JwtKey::GenerateRsa(std::string kid, int bits) {
  MH_TRY(internal::CheckKid(kid));
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return InvalidField("bits", "must be 2048 to 8192");
  }
  return Generated(std::move(kid),
                   EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
}

Result<JwtKey> JwtKey::GenerateEs256(std::string kid) {
  MH_TRY(internal::CheckKid(kid));
  return Generated(std::move(kid), EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

Result<JwtKey> JwtKey::FromPrivatePem(std::string kid, std::string_view pem) {
  MH_ASSIGN_OR_RETURN(BioPtr bio, ReadBio(pem));
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr));
  if (!pkey) {
    internal::ClearOpenSslErrors();
    return InvalidArgument("not an unencrypted PEM private key");
  }
  return FromPkey(std::move(kid), std::move(pkey), /*has_private=*/true);
}

Result<JwtKey> JwtKey::FromPublicPem(std::string kid, std::string_view pem) {
  MH_ASSIGN_OR_RETURN(BioPtr bio, ReadBio(pem));
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, &NoPassphrase, nullptr));
  if (!pkey) {
    internal::ClearOpenSslErrors();
    return InvalidArgument("not a PEM public key");
  }
  return FromPkey(std::move(kid), std::move(pkey), /*has_private=*/false);
}

Result<JwtKey> JwtKey::FromHmacSecret(std::string kid, std::string_view secret) {
  MH_TRY(internal::CheckKid(kid));
  if (secret.size() < kMinHmacSecretBytes) {
    return InvalidField("secret", "HS256 secrets must be at least 32 bytes");
  }
  internal::JwtKeyImpl impl;
  impl.kid = std::move(kid);
  impl.algorithm = JwtAlgorithm::kHS256;
  impl.secret = SecretBytes(std::string(secret));
  impl.has_private = true;
  return JwtKeyAccess::Make(std::move(impl));
}

const std::string& JwtKey::kid() const { return impl_->kid; }
JwtAlgorithm JwtKey::algorithm() const { return impl_->algorithm; }
bool JwtKey::can_sign() const { return impl_->has_private; }
bool JwtKey::is_symmetric() const { return impl_->algorithm == JwtAlgorithm::kHS256; }

JwtKey JwtKey::PublicKey() const {
  if (is_symmetric() || !impl_->has_private) return *this;
  Result<PkeyPtr> pub = PublicHalf(impl_->pkey.get());
  // Re-encoding a key OpenSSL accepted cannot fail short of running out of memory.
  if (!pub.ok()) std::abort();
  internal::JwtKeyImpl impl;
  impl.kid = impl_->kid;
  impl.algorithm = impl_->algorithm;
  impl.pkey = std::move(pub).value();
  impl.has_private = false;
  return JwtKeyAccess::Make(std::move(impl));
}

Result<std::string> JwtKey::ToPrivatePem() const {
  if (is_symmetric()) return FailedPrecondition("an HS256 key has no PEM form");
  if (!impl_->has_private) return FailedPrecondition("key '" + kid() + "' is public only");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return Internal("private key export failed: " + internal::TakeOpenSslError());
  }
  return internal::BioContents(bio.get());
}

Result<std::string> JwtKey::ToPublicPem() const {
  if (is_symmetric()) return FailedPrecondition("an HS256 key has no public half");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->pkey.get()) != 1) {
    return Internal("public key export failed: " + internal::TakeOpenSslError());
  }
  return internal::BioContents(bio.get());
}

}  // namespace milkyhoop::crypto
