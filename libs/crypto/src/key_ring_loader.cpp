#include "milkyhoop/crypto/key_ring_loader.hpp"

#include <cstdint>
#include <cstdlib>
#include <utility>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/key_file.hpp"

namespace milkyhoop::crypto {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

KeyRingSource KeyRingSourceFromEnvironment(std::filesystem::path key_file,
                                           std::filesystem::path default_key_file) {
  return {Env(kMasterKeyEnv), Env(kIndexKeyEnv), std::move(key_file), std::move(default_key_file)};
}

Result<KeyRing> LoadKeyRing(const KeyRingSource& source) {
  const bool have_master = !source.master_keys.empty();
  const bool have_index = !source.index_key.empty();
  if (have_master != have_index) {
    return FailedPrecondition(std::string(have_master ? kIndexKeyEnv : kMasterKeyEnv) +
                              " must be set together with " +
                              (have_master ? kMasterKeyEnv : kIndexKeyEnv));
  }
  if (have_master) {
    Result<KeyRing> ring = KeyRing::FromBase64(source.master_keys, source.index_key);
    if (!ring.ok()) {
      return FailedPrecondition(std::string("keys from the environment: ") +
                                ring.status().message());
    }
    MH_LOG_INFO("master keys loaded", {"source", "environment"},
                {"active_key_id", ring->active().id},
                {"key_count", static_cast<std::int64_t>(ring->keys().size())});
    return ring;
  }
  if (!source.key_file.empty()) {
    MH_ASSIGN_OR_RETURN(KeyRing ring, LoadKeyFile(source.key_file));
    MH_LOG_INFO("master keys loaded", {"source", source.key_file.string()},
                {"active_key_id", ring.active().id},
                {"key_count", static_cast<std::int64_t>(ring.keys().size())});
    return ring;
  }
  if (source.default_key_file.empty()) {
    return FailedPrecondition(std::string("no master key configured: set ") + kMasterKeyEnv +
                              " and " + kIndexKeyEnv + ", or a key file");
  }
  Result<std::string> generated = GenerateKeyFile(source.default_key_file);
  if (generated.ok()) {
    MH_LOG_WARN(
        "generated a new master key file; back it up, values sealed with it are lost "
        "without it",
        {"path", source.default_key_file.string()}, {"active_key_id", *generated});
  } else if (generated.status().code() != StatusCode::kAlreadyExists) {
    return std::move(generated).TakeStatus();
  }
  MH_ASSIGN_OR_RETURN(KeyRing ring, LoadKeyFile(source.default_key_file));
  MH_LOG_INFO("master keys loaded", {"source", source.default_key_file.string()},
              {"active_key_id", ring.active().id},
              {"key_count", static_cast<std::int64_t>(ring.keys().size())});
  return ring;
}

}  // namespace milkyhoop::crypto
