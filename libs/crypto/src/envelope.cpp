#include "milkyhoop/crypto/envelope.hpp"

#include <array>
#include <utility>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/aead.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/secret.hpp"

namespace milkyhoop::crypto {
namespace {

constexpr std::string_view kVersion = "v1";
// Domain separation: a wrapped data key and a value never authenticate as each other.
constexpr std::string_view kWrapAadPrefix = "milkyhoop.envelope.v1.dek:";
constexpr std::string_view kDataAadPrefix = "milkyhoop.envelope.v1.data:";
constexpr std::size_t kWrappedKeyBytes = kGcmNonceBytes + kAes256KeyBytes + kGcmTagBytes;

struct Parsed {
  std::string_view key_id;
  std::string wrapped_key;  // wrap nonce || wrapped data key || tag
  std::string nonce;
  std::string ciphertext;  // ciphertext || tag
};

Status Malformed(std::string_view why) {
  return InvalidField("sealed", "is not a sealed value (" + std::string(why) + ")");
}

Result<Parsed> Parse(std::string_view sealed) {
  std::array<std::string_view, 5> parts;
  std::size_t n = 0;
  std::string_view rest = sealed;
  while (true) {
    const std::size_t dot = rest.find('.');
    if (n == parts.size()) return Malformed("too many parts");
    parts[n++] = rest.substr(0, dot);
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (n != parts.size()) return Malformed("expected 5 parts");
  if (parts[0] != kVersion) return Malformed("unknown version");
  if (parts[1].empty() || parts[1].size() > 64) return Malformed("bad key id");
  Parsed out;
  out.key_id = parts[1];
  Result<std::string> wrapped = Base64UrlDecode(parts[2]);
  Result<std::string> nonce = Base64UrlDecode(parts[3]);
  Result<std::string> ciphertext = Base64UrlDecode(parts[4]);
  if (!wrapped.ok() || !nonce.ok() || !ciphertext.ok()) return Malformed("bad base64");
  out.wrapped_key = std::move(wrapped).value();
  out.nonce = std::move(nonce).value();
  out.ciphertext = std::move(ciphertext).value();
  if (out.wrapped_key.size() != kWrappedKeyBytes) return Malformed("bad wrapped key size");
  if (out.nonce.size() != kGcmNonceBytes) return Malformed("bad nonce size");
  if (out.ciphertext.size() < kGcmTagBytes) return Malformed("ciphertext too short");
  return out;
}

std::string WrapAad(std::string_view key_id) {
  std::string aad(kWrapAadPrefix);
  aad += key_id;
  return aad;
}

Result<std::string> Wrap(const MasterKey& master, const SecretBytes& data_key) {
  const std::string nonce = RandomBytes(kGcmNonceBytes);
  MH_ASSIGN_OR_RETURN(std::string wrapped,
                      AesGcmSeal(master.key.view(), nonce, data_key.view(), WrapAad(master.id)));
  return nonce + wrapped;
}

Result<SecretBytes> Unwrap(const KeyRing& keys, const Parsed& parsed) {
  const MasterKey* master = keys.Find(parsed.key_id);
  if (master == nullptr) {
    return FailedPrecondition("sealed value names master key '" + std::string(parsed.key_id) +
                              "', which is not in the key ring");
  }
  const std::string_view wrapped = parsed.wrapped_key;
  Result<std::string> data_key = AesGcmOpen(master->key.view(), wrapped.substr(0, kGcmNonceBytes),
                                            wrapped.substr(kGcmNonceBytes), WrapAad(master->id));
  if (!data_key.ok()) return InvalidField("sealed", "cannot be opened (authentication failed)");
  return SecretBytes(std::move(data_key).value());
}

std::string Serialize(std::string_view key_id, std::string_view wrapped, std::string_view nonce,
                      std::string_view ciphertext) {
  std::string out(kVersion);
  out += '.';
  out += key_id;
  out += '.';
  out += Base64UrlEncode(wrapped);
  out += '.';
  out += Base64UrlEncode(nonce);
  out += '.';
  out += Base64UrlEncode(ciphertext);
  return out;
}

std::string DataAad(std::string_view aad) {
  std::string out(kDataAadPrefix);
  out += aad;
  return out;
}

}  // namespace

Result<std::string> Envelope::Seal(std::string_view plaintext, std::string_view aad) const {
  const MasterKey& master = keys_.active();
  const SecretBytes data_key(RandomBytes(kAes256KeyBytes));
  // The data key is used once, so the nonce need not be random; it is anyway, at no cost, so
  // that a broken random generator would have to fail twice to repeat a (key, nonce) pair.
  const std::string nonce = RandomBytes(kGcmNonceBytes);
  MH_ASSIGN_OR_RETURN(std::string ciphertext,
                      AesGcmSeal(data_key.view(), nonce, plaintext, DataAad(aad)));
  MH_ASSIGN_OR_RETURN(std::string wrapped, Wrap(master, data_key));
  return Serialize(master.id, wrapped, nonce, ciphertext);
}

Result<std::string> Envelope::Open(std::string_view sealed, std::string_view aad) const {
  MH_ASSIGN_OR_RETURN(Parsed parsed, Parse(sealed));
  MH_ASSIGN_OR_RETURN(SecretBytes data_key, Unwrap(keys_, parsed));
  Result<std::string> plaintext =
      AesGcmOpen(data_key.view(), parsed.nonce, parsed.ciphertext, DataAad(aad));
  if (!plaintext.ok()) {
    return InvalidField("sealed",
                        "cannot be opened (authentication failed: tampered value, "
                        "wrong context or wrong key)");
  }
  return plaintext;
}

Result<std::string> Envelope::Rewrap(std::string_view sealed) const {
  MH_ASSIGN_OR_RETURN(Parsed parsed, Parse(sealed));
  MH_ASSIGN_OR_RETURN(SecretBytes data_key, Unwrap(keys_, parsed));
  const MasterKey& active = keys_.active();
  if (parsed.key_id == active.id) return std::string(sealed);
  MH_ASSIGN_OR_RETURN(std::string wrapped, Wrap(active, data_key));
  return Serialize(active.id, wrapped, parsed.nonce, parsed.ciphertext);
}

Result<std::string> Envelope::MasterKeyIdOf(std::string_view sealed) {
  MH_ASSIGN_OR_RETURN(Parsed parsed, Parse(sealed));
  return std::string(parsed.key_id);
}

}  // namespace milkyhoop::crypto
