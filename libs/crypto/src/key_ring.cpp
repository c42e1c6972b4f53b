#include "milkyhoop/crypto/key_ring.hpp"

#include <set>
#include <utility>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::crypto {

struct KeyRing::Data {
  std::vector<MasterKey> keys;
  SecretBytes index_key;
};

namespace {

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64 || id == "index") return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Decodes a base64 secret of `size` bytes. The error names `what`, never the value.
Result<SecretBytes> DecodeKey(std::string_view text, std::size_t size, std::string_view what) {
  Result<std::string> raw = Base64Decode(Trim(text));
  if (!raw.ok()) return InvalidArgument(std::string(what) + " is not valid base64");
  SecretBytes key(std::move(raw).value());
  if (key.size() != size) {
    return InvalidArgument(std::string(what) + " must be " + std::to_string(size) + " bytes, got " +
                           std::to_string(key.size()));
  }
  return key;
}

// A fresh random key whose id is not taken yet (ids are 32-bit, collisions are possible).
MasterKey NewKey(const std::vector<MasterKey>& existing) {
  for (;;) {
    MasterKey key{"", SecretBytes(RandomBytes(kMasterKeyBytes))};
    key.id = MasterKeyId(key.key.view());
    bool taken = false;
    for (const MasterKey& k : existing) taken = taken || k.id == key.id;
    if (!taken) return key;
  }
}

}  // namespace

std::string MasterKeyId(std::string_view key) { return HexEncode(Sha256(key)).substr(0, 8); }

Result<KeyRing> KeyRing::Create(std::vector<MasterKey> keys, SecretBytes index_key) {
  if (keys.empty()) return InvalidArgument("key ring: no master key");
  std::set<std::string, std::less<>> ids;
  for (const MasterKey& k : keys) {
    if (!ValidId(k.id)) {
      return InvalidArgument("key ring: invalid master key id '" + k.id.substr(0, 64) + "'");
    }
    if (!ids.insert(k.id).second) {
      return InvalidArgument("key ring: duplicate master key id '" + k.id + "'");
    }
    if (k.key.size() != kMasterKeyBytes) {
      return InvalidArgument("key ring: master key '" + k.id + "' must be 32 bytes");
    }
  }
  if (index_key.size() != kIndexKeyBytes) {
    return InvalidArgument("key ring: index key must be 32 bytes");
  }
  auto data = std::make_shared<Data>();
  data->keys = std::move(keys);
  data->index_key = std::move(index_key);
  return KeyRing(std::move(data));
}

Result<KeyRing> KeyRing::FromBase64(std::string_view master_keys, std::string_view index_key) {
  std::vector<MasterKey> keys;
  std::size_t n = 0;
  std::string_view rest = master_keys;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    ++n;
    MH_ASSIGN_OR_RETURN(SecretBytes key,
                        DecodeKey(item, kMasterKeyBytes, "master key #" + std::to_string(n)));
    std::string id = MasterKeyId(key.view());
    keys.push_back({std::move(id), std::move(key)});
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  MH_ASSIGN_OR_RETURN(SecretBytes index, DecodeKey(index_key, kIndexKeyBytes, "index key"));
  return Create(std::move(keys), std::move(index));
}

KeyRing KeyRing::Generate() {
  auto data = std::make_shared<Data>();
  data->keys.push_back(NewKey({}));
  data->index_key = SecretBytes(RandomBytes(kIndexKeyBytes));
  return KeyRing(std::move(data));
}

const MasterKey& KeyRing::active() const { return data_->keys.front(); }

const MasterKey* KeyRing::Find(std::string_view id) const {
  for (const MasterKey& k : data_->keys) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

const std::vector<MasterKey>& KeyRing::keys() const { return data_->keys; }

const SecretBytes& KeyRing::index_key() const { return data_->index_key; }

KeyRing KeyRing::WithNewActiveKey() const {
  auto data = std::make_shared<Data>();
  data->keys.push_back(NewKey(data_->keys));
  data->keys.insert(data->keys.end(), data_->keys.begin(), data_->keys.end());
  data->index_key = data_->index_key;
  return KeyRing(std::move(data));
}

}  // namespace milkyhoop::crypto
