#include "milkyhoop/core/ids.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace milkyhoop {

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();  // no safe way to continue without randomness
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::string RandomHex(std::size_t bytes) { return HexEncode(RandomBytes(bytes)); }

std::string NewId(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  const std::string rnd = RandomBytes(10);
  // 128 bits: 48 of time then 80 of randomness, written 5 bits at a time (26 characters).
  unsigned char bits[16];
  for (int i = 0; i < 6; ++i) bits[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  for (int i = 0; i < 10; ++i) bits[6 + i] = static_cast<unsigned char>(rnd[i]);
  std::string out(prefix);
  out.reserve(prefix.size() + 26);
  // The leading character holds the top 3 bits; each following one 5 bits.
  unsigned bitpos = 0;
  auto take = [&](unsigned count) {
    unsigned v = 0;
    for (unsigned k = 0; k < count; ++k, ++bitpos) {
      v = (v << 1) | ((bits[bitpos / 8] >> (7 - bitpos % 8)) & 1u);
    }
    return v;
  };
  out += kAlphabet[take(3)];
  for (int i = 0; i < 25; ++i) out += kAlphabet[take(5)];
  return out;
}

}  // namespace milkyhoop
