#pragma once
// Internal: owning handles for OpenSSL objects and the text of OpenSSL's error queue. Never
// included from a public header.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace milkyhoop::crypto::internal {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<&EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<&EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<&EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<&EVP_CIPHER_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<&BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<&BN_free>>;

// The oldest error on this thread's OpenSSL queue, and clears the queue so a stale error never
// shows up in a later, unrelated message. "unknown" when the queue is empty.
std::string TakeOpenSslError();

// Clears the queue (after an expected failure, e.g. a bad signature).
void ClearOpenSslErrors();

// Contents of a memory BIO.
std::string BioContents(BIO* bio);

}  // namespace milkyhoop::crypto::internal
