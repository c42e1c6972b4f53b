#include "milkyhoop/crypto/aead.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>

#include "openssl_util.hpp"

namespace milkyhoop::crypto {
namespace {

using internal::CipherCtxPtr;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Status CheckSizes(std::string_view key, std::string_view nonce, std::size_t data_size,
                  std::size_t aad_size) {
  if (key.size() != kAes256KeyBytes) return InvalidArgument("aes-gcm: key must be 32 bytes");
  if (nonce.size() != kGcmNonceBytes) return InvalidArgument("aes-gcm: nonce must be 12 bytes");
  // EVP takes int lengths.
  if (data_size > INT_MAX / 2 || aad_size > INT_MAX / 2) {
    return InvalidArgument("aes-gcm: input too large");
  }
  return Status::Ok();
}

Status Init(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view key, std::string_view nonce,
            std::string_view aad) {
  if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce),
                        encrypt ? 1 : 0) != 1) {
    return Internal("aes-gcm: init failed: " + internal::TakeOpenSslError());
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return Internal("aes-gcm: aad failed: " + internal::TakeOpenSslError());
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce,
                               std::string_view plaintext, std::string_view aad) {
  MH_TRY(CheckSizes(key, nonce, plaintext.size(), aad.size()));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Internal("aes-gcm: out of memory");
  MH_TRY(Init(ctx.get(), true, key, nonce, aad));
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), dst, &len, Bytes(plaintext),
                                              static_cast<int>(plaintext.size())) != 1) {
    return Internal("aes-gcm: encrypt failed: " + internal::TakeOpenSslError());
  }
  int final_len = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), dst + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                          dst + plaintext.size()) != 1) {
    return Internal("aes-gcm: finish failed: " + internal::TakeOpenSslError());
  }
  return out;
}

Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                               std::string_view sealed, std::string_view aad) {
  MH_TRY(CheckSizes(key, nonce, sealed.size(), aad.size()));
  if (sealed.size() < kGcmTagBytes) return InvalidArgument("aes-gcm: ciphertext too short");
  const std::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagBytes);
  const std::string_view tag = sealed.substr(ciphertext.size());
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Internal("aes-gcm: out of memory");
  MH_TRY(Init(ctx.get(), false, key, nonce, aad));
  std::string out(ciphertext.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), dst, &len, Bytes(ciphertext),
                                               static_cast<int>(ciphertext.size())) != 1) {
    return Internal("aes-gcm: decrypt failed: " + internal::TakeOpenSslError());
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                          const_cast<char*>(tag.data())) != 1) {
    return Internal("aes-gcm: set tag failed: " + internal::TakeOpenSslError());
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), dst + len, &final_len) != 1) {
    internal::ClearOpenSslErrors();
    // Unauthenticated plaintext must not leak out, not even in memory we free.
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
    return InvalidArgument("aes-gcm: authentication failed");
  }
  return out;
}

}  // namespace milkyhoop::crypto
