#include "embedding_codec.hpp"

#include <openssl/evp.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace milkyhoop::rag {

static_assert(std::endian::native == std::endian::little, "the stored layout is little-endian");

std::string EncodeEmbedding(const std::vector<float>& vector) {
  if (vector.empty()) return {};
  const std::size_t bytes = vector.size() * sizeof(float);
  std::string out(4 * ((bytes + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(vector.data()),
                                static_cast<int>(bytes));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::vector<float>> DecodeEmbedding(std::string_view text) {
  if (text.empty()) return std::vector<float>();
  if (text.size() % 4 != 0) return std::nullopt;
  std::string raw(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with("=")) {
    size -= 1;
  }
  if (size % sizeof(float) != 0) return std::nullopt;
  std::vector<float> out(size / sizeof(float));
  std::memcpy(out.data(), raw.data(), size);
  for (float f : out) {
    if (!std::isfinite(f)) return std::nullopt;
  }
  return out;
}

}  // namespace milkyhoop::rag
