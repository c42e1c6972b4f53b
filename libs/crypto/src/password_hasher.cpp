#include "milkyhoop/crypto/password_hasher.hpp"

#include <sodium.h>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::crypto {
namespace {

// libsodium wants a NUL-terminated hash string of bounded size.
bool CopyHash(std::string_view encoded_hash, char (&out)[crypto_pwhash_STRBYTES]) {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (encoded_hash.find('\0') != std::string_view::npos) return false;
  encoded_hash.copy(out, encoded_hash.size());
  out[encoded_hash.size()] = '\0';
  return true;
}

}  // namespace

Result<PasswordHasher> PasswordHasher::Create(const Argon2idParams& params) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  if (params.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.iterations > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
    return InvalidArgument("argon2id: iterations out of range");
  }
  if (params.memory_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.memory_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return InvalidArgument("argon2id: memory out of range");
  }
  PasswordHasher hasher(params, "");
  // A hash of a random password nobody knows: verifying against it fails at the real cost.
  MH_ASSIGN_OR_RETURN(hasher.dummy_hash_, hasher.Hash(RandomHex(16)));
  return hasher;
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidField("password", "is longer than 1024 bytes");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params_.iterations,
                            params_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhausted("argon2id: not enough memory to hash");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view encoded_hash, std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) return false;
  char hash[crypto_pwhash_STRBYTES];
  if (!CopyHash(encoded_hash, hash)) return false;
  // Only argon2id: an argon2i hash would verify too, but nothing here ever wrote one.
  if (encoded_hash.substr(0, 10) != "$argon2id$") return false;
  return crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded_hash) const {
  char hash[crypto_pwhash_STRBYTES];
  if (!CopyHash(encoded_hash, hash)) return true;
  if (encoded_hash.substr(0, 10) != "$argon2id$") return true;
  return crypto_pwhash_str_needs_rehash(hash, params_.iterations, params_.memory_bytes) != 0;
}

void PasswordHasher::DummyVerify(std::string_view password) const {
  // Mirrors Verify branch for branch, so no input takes a different time with or without an
  // account behind it (an over-long password is refused at once by both).
  if (password.size() > kMaxPasswordBytes) return;
  char hash[crypto_pwhash_STRBYTES];
  if (!CopyHash(dummy_hash_, hash)) return;
  volatile int sink = crypto_pwhash_str_verify(hash, password.data(), password.size());
  (void)sink;
}

}  // namespace milkyhoop::crypto
