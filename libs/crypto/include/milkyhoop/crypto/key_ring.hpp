#pragma once
// KeyRing: the master keys that wrap envelope data keys, plus the blind-index key.
//
// Master keys rotate: the first one is active and wraps new data keys; older ones stay to open
// what they wrapped until Envelope::Rewrap has moved every value to the active key.
// The index key never rotates: blind indexes are stored and looked up by value, so a new key
// would make every stored index unfindable. It is kept apart from the master keys for exactly
// that reason (line "index <base64>" of a key file, or MILKYHOOP_INDEX_KEY).
//
// Immutable once built, cheap to copy (shared), safe to use from any thread.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/secret.hpp"

namespace milkyhoop::crypto {

inline constexpr std::size_t kMasterKeyBytes = 32;
inline constexpr std::size_t kIndexKeyBytes = 32;

struct MasterKey {
  // Short printable name written into every sealed value ([A-Za-z0-9_-], 1..64 characters).
  std::string id;
  SecretBytes key;  // kMasterKeyBytes
};

// The id a key gets when none is given: first 8 hex characters of SHA-256 of the key. It
// names the key without revealing anything usable about it.
std::string MasterKeyId(std::string_view key);

class KeyRing {
 public:
  // `keys` in order, the first active. kInvalidArgument for no keys, a duplicate or malformed
  // id, or a key of the wrong size. Messages name ids, never key bytes.
  static Result<KeyRing> Create(std::vector<MasterKey> keys, SecretBytes index_key);

  // From environment values: `master_keys` is the base64 of a 32-byte key, or several separated
  // by commas (first active; ids from MasterKeyId); `index_key` the base64 of 32 bytes.
  static Result<KeyRing> FromBase64(std::string_view master_keys, std::string_view index_key);

  // Builds a ring with fresh random keys (tests, and new key files).
  static KeyRing Generate();

  const MasterKey& active() const;
  // The key with this id, or nullptr.
  const MasterKey* Find(std::string_view id) const;
  const std::vector<MasterKey>& keys() const;
  const SecretBytes& index_key() const;

  // A ring with a fresh random key in front (now active), keeping every key of this one and
  // the same index key.
  KeyRing WithNewActiveKey() const;

 private:
  struct Data;
  explicit KeyRing(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace milkyhoop::crypto
