#include "milkyhoop/crypto/blind_index.hpp"

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::crypto {
namespace {

constexpr std::string_view kSalt = "milkyhoop.blind-index.v1";

}  // namespace

Result<std::string> BlindIndexer::Compute(std::string_view purpose,
                                          std::string_view normalized_value) const {
  if (purpose.empty()) return InvalidField("purpose", "is required");
  // Derived per call: a few microseconds, and no cache of derived keys to guard or wipe.
  MH_ASSIGN_OR_RETURN(std::string derived, HkdfSha256(index_key_.view(), kSalt, purpose, 32));
  const SecretBytes key(std::move(derived));
  return HexEncode(HmacSha256(key.view(), normalized_value));
}

}  // namespace milkyhoop::crypto
