#pragma once
// Where the process gets its KeyRing, in order of precedence:
//   1. the environment: MILKYHOOP_MASTER_KEY (base64 of 32 bytes; several comma-separated for a
//      rotation, first active) together with MILKYHOOP_INDEX_KEY (base64 of 32 bytes). One
//      without the other is an error: deriving the index key from a master key would change
//      every blind index at the next rotation.
//   2. an explicit key file (config `keys_file`): it must exist.
//   3. the default key file in the data directory: generated on first start (embedded shape,
//      nothing to configure), loaded after that.
// Secrets never come from a config file's own text: only from the environment or a key file.

#include <filesystem>
#include <string>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/key_ring.hpp"

namespace milkyhoop::crypto {

inline constexpr char kMasterKeyEnv[] = "MILKYHOOP_MASTER_KEY";
inline constexpr char kIndexKeyEnv[] = "MILKYHOOP_INDEX_KEY";

struct KeyRingSource {
  std::string master_keys{};                 // value of MILKYHOOP_MASTER_KEY; empty when unset
  std::string index_key{};                   // value of MILKYHOOP_INDEX_KEY; empty when unset
  std::filesystem::path key_file{};          // explicit; empty when not configured
  std::filesystem::path default_key_file{};  // e.g. <data_dir>/keys/master.keys; may be empty
};

// master_keys and index_key read from the environment; the paths as given.
KeyRingSource KeyRingSourceFromEnvironment(std::filesystem::path key_file,
                                           std::filesystem::path default_key_file);

// kFailedPrecondition when nothing is configured or the environment is half set; errors of
// KeyRing::FromBase64 / LoadKeyFile / GenerateKeyFile otherwise.
Result<KeyRing> LoadKeyRing(const KeyRingSource& source);

}  // namespace milkyhoop::crypto
