// Fuzzes everything that parses stored secrets: Envelope::Open / Rewrap / MasterKeyIdOf on
// arbitrary strings (a tampered database row), the base64/base32 decoders (with the property
// that an accepted encoding is the canonical one), and key-file parsing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_keys.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/envelope.hpp"
#include "milkyhoop/crypto/key_file.hpp"
#include "milkyhoop/crypto/key_ring.hpp"

namespace milkyhoop::fuzz {
namespace {

crypto::Envelope MakeEnvelope() {
  const std::string active = crypto::Base64Encode(FuzzMasterKey(kFuzzActiveFill));
  const std::string old = crypto::Base64Encode(FuzzMasterKey(kFuzzOldFill));
  const std::string index = crypto::Base64Encode(FuzzMasterKey(kFuzzIndexFill));
  return crypto::Envelope(crypto::KeyRing::FromBase64(active + "," + old, index).value());
}

}  // namespace
}  // namespace milkyhoop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace milkyhoop;
  static const crypto::Envelope* envelope = new crypto::Envelope(fuzz::MakeEnvelope());
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  Result<std::string> opened = envelope->Open(input, fuzz::kFuzzContext);
  if (opened.ok()) {
    // Whatever opens must survive a seal/open round trip and a rewrap.
    Result<std::string> resealed = envelope->Seal(*opened, fuzz::kFuzzContext);
    if (!resealed.ok() || envelope->Open(*resealed, fuzz::kFuzzContext).value() != *opened) {
      __builtin_trap();
    }
    Result<std::string> rewrapped = envelope->Rewrap(input);
    if (!rewrapped.ok() || envelope->Open(*rewrapped, fuzz::kFuzzContext).value() != *opened) {
      __builtin_trap();
    }
  }
  (void)envelope->Rewrap(input);
  (void)crypto::Envelope::MasterKeyIdOf(input);

  // Decoders accept only canonical text: decode then encode gives the input back.
  Result<std::string> url = crypto::Base64UrlDecode(input);
  if (url.ok() && crypto::Base64UrlEncode(*url) != input) __builtin_trap();
  Result<std::string> std64 = crypto::Base64Decode(input);
  if (std64.ok() && crypto::Base64Encode(*std64) != input) __builtin_trap();
  Result<std::string> b32 = crypto::Base32Decode(input);
  if (b32.ok() && crypto::Base32Decode(crypto::Base32Encode(*b32)).value() != *b32) {
    __builtin_trap();
  }

  (void)crypto::ParseKeyFile(input);
  return 0;
}
