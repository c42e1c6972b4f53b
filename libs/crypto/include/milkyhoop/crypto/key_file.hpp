#pragma once
// The key file: where the embedded (single-machine) shape keeps its master keys when none come
// from the environment. Text, one key per line, first master key active:
//
//   # comments and blank lines are ignored
//   index <base64 of 32 bytes>      the blind-index key; never rotates
//   <id> <base64 of 32 bytes>       the active master key
//   <id> <base64 of 32 bytes>       older master keys, kept to open older values
//
// The file is created with mode 0600 and must stay private: LoadKeyFile refuses a file that
// group or others may read. Losing it loses every value sealed with its keys: back it up.

#include <filesystem>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/key_ring.hpp"

namespace milkyhoop::crypto {

// Parses the text of a key file. kInvalidArgument naming the line, never its key.
Result<KeyRing> ParseKeyFile(std::string_view text);

// The text of a key file holding `keys` (with the header comment).
std::string FormatKeyFile(const KeyRing& keys);

// Reads and parses `path`. kNotFound when it does not exist, kFailedPrecondition when its mode
// lets group or others read it.
Result<KeyRing> LoadKeyFile(const std::filesystem::path& path);

// Writes a new key file with a fresh master key and index key: mode 0600, fully written and
// synced under a temporary name, then linked into place, so it appears complete or not at all.
// Creates missing parent directories (mode 0700). kAlreadyExists when `path` exists: it never
// replaces keys. Returns the new active key id.
Result<std::string> GenerateKeyFile(const std::filesystem::path& path);

// Puts a fresh master key in front of an existing key file (it becomes active), keeping every
// older key and the index key; the file is replaced atomically (rename). Returns the new active
// key id. Values sealed before keep opening; Envelope::Rewrap moves them to the new key.
// Concurrent rotations of one file are not coordinated: it is an operator's command.
Result<std::string> RotateKeyFile(const std::filesystem::path& path);

}  // namespace milkyhoop::crypto
