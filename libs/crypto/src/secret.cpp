#include "milkyhoop/crypto/secret.hpp"

#include <openssl/crypto.h>

#include <utility>

namespace milkyhoop::crypto {

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.Wipe();
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    Wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.Wipe();
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

// Short strings live inside the object (SSO) and a moved-from string may keep its buffer, so
// the whole capacity is wiped, not only size() bytes.
void SecretBytes::Wipe() {
  bytes_.resize(bytes_.capacity());
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

}  // namespace milkyhoop::crypto
