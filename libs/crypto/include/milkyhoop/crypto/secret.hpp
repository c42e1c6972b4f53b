#pragma once
// SecretBytes: key material that is wiped (OPENSSL_cleanse) when it goes away and that cannot be
// handed to a log field or a stream by accident: there is no implicit conversion to a string.
// Best effort: copies made by callers through view() are theirs to look after.

#include <cstddef>
#include <string>
#include <string_view>

namespace milkyhoop::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  std::string_view view() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  void Wipe();
  std::string bytes_;
};

}  // namespace milkyhoop::crypto
