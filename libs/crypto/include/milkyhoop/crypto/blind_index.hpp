#pragma once
// Blind index: a keyed, deterministic fingerprint of a value that is stored encrypted, so the
// encrypted column can still be looked up by equality ("find the user with this phone number")
// without storing the value or a plain hash of it (a phone number's plain hash falls to a
// dictionary in seconds).
//
// index = hex(HMAC-SHA256(K_purpose, value)), K_purpose = HKDF-SHA256(index key,
// salt "milkyhoop.blind-index.v1", info purpose). Each purpose gets its own key, so an email
// index and a phone index never match across columns.
//
// The index key is the KeyRing's dedicated index key, NOT a master key: it must never change,
// or every stored index stops matching. Master-key rotation leaves indexes as they are.
// Callers normalise the value first (case, spaces, phone prefixes): equal values must be equal
// bytes.

#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/crypto/secret.hpp"

namespace milkyhoop::crypto {

class BlindIndexer {
 public:
  explicit BlindIndexer(const KeyRing& keys) : index_key_(keys.index_key()) {}

  // 64 lowercase hex characters. kInvalidArgument for an empty purpose.
  Result<std::string> Compute(std::string_view purpose, std::string_view normalized_value) const;

 private:
  SecretBytes index_key_;
};

}  // namespace milkyhoop::crypto
