#include "jwt_signature.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::crypto::internal {
namespace {

constexpr int kEs256HalfBytes = 32;

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<&ECDSA_SIG_free>>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// EdDSA hashes internally (no digest); the others use SHA-256.
const EVP_MD* DigestFor(JwtAlgorithm algorithm) {
  return algorithm == JwtAlgorithm::kEdDSA ? nullptr : EVP_sha256();
}

// DER ECDSA-Sig-Value → JWS's fixed-width R || S (RFC 7518 3.4).
Result<std::string> DerToRaw(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));  // NOLINT
  if (!sig) return Internal("ES256: bad DER signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kEs256HalfBytes, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, dst, kEs256HalfBytes) != kEs256HalfBytes ||
      BN_bn2binpad(s, dst + kEs256HalfBytes, kEs256HalfBytes) != kEs256HalfBytes) {
    return Internal("ES256: signature too large");
  }
  return raw;
}

// R || S → DER, or empty when `raw` has the wrong size.
std::string RawToDer(std::string_view raw) {
  if (raw.size() != 2 * kEs256HalfBytes) return {};
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(raw), kEs256HalfBytes, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(raw) + kEs256HalfBytes, kEs256HalfBytes, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

Result<std::string> SignJws(const JwtKeyImpl& key, std::string_view signing_input) {
  if (!key.has_private) return FailedPrecondition("key '" + key.kid + "' cannot sign");
  if (key.algorithm == JwtAlgorithm::kHS256) return HmacSha256(key.secret.view(), signing_input);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(key.algorithm), nullptr, key.pkey.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(signing_input), signing_input.size()) != 1) {
    return Internal("jwt sign failed: " + TakeOpenSslError());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     Bytes(signing_input), signing_input.size()) != 1) {
    return Internal("jwt sign failed: " + TakeOpenSslError());
  }
  sig.resize(len);
  if (key.algorithm == JwtAlgorithm::kES256) return DerToRaw(sig);
  return sig;
}

bool VerifyJws(const JwtKeyImpl& key, std::string_view signing_input, std::string_view signature) {
  if (key.algorithm == JwtAlgorithm::kHS256) {
    return ConstantTimeEquals(HmacSha256(key.secret.view(), signing_input), signature);
  }
  std::string der;
  if (key.algorithm == JwtAlgorithm::kES256) {
    der = RawToDer(signature);
    if (der.empty()) return false;
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(key.algorithm), nullptr,
                                       key.pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(),
                                   Bytes(signing_input), signing_input.size()) == 1;
  ClearOpenSslErrors();
  return ok;
}

}  // namespace milkyhoop::crypto::internal
