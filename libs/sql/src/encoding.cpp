#include "encoding.hpp"

#include <openssl/evp.h>

#include <climits>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::sql::internal {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  if (bytes.empty()) return {};
  // EVP_EncodeBlock takes an int length; payloads are far below 1.5 GiB, but stay defined.
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) / 4 * 3) return {};
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0 || text.size() > static_cast<std::size_t>(INT_MAX)) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(text),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock decodes padding as zero bytes; drop one per '='.
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};  // only on allocation failure inside OpenSSL; callers compare, never match ""
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace milkyhoop::sql::internal
