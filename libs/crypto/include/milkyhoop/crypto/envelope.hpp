#pragma once
// Envelope encryption of values at rest (field-level: phone numbers, emails, provider tokens).
//
// Seal makes a fresh random 256-bit data key per value, encrypts the value with it
// (AES-256-GCM, the caller's AAD bound in), wraps the data key with the active master key
// (AES-256-GCM) and writes everything into one printable string:
//
//   v1.<master key id>.<b64url wrapped data key>.<b64url nonce>.<b64url ciphertext+tag>
//
// The AAD is not stored: the caller states it again to Open (e.g. "auth.users.phone:<user id>"),
// so a sealed value copied into another row or column does not open there.
// Rewrap moves a value to the active master key by re-wrapping only its data key: the
// ciphertext is untouched and no AAD is needed. A master key can be retired once nothing sealed
// names it.
//
// Master keys wrap one data key per Seal under a random 96-bit nonce; rotate a master key long
// before 2^32 seals (NIST SP 800-38D's bound for random nonces).
// Tampering with any part, a wrong AAD or an unknown key id is an error, never a crash.

#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/key_ring.hpp"

namespace milkyhoop::crypto {

class Envelope {
 public:
  explicit Envelope(KeyRing keys) : keys_(std::move(keys)) {}

  Result<std::string> Seal(std::string_view plaintext, std::string_view aad) const;

  // kInvalidArgument when `sealed` is malformed or does not authenticate with `aad` (the
  // message does not say which part failed); kFailedPrecondition when its master key is not in
  // the ring.
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

  // `sealed` with its data key wrapped by the active master key; returned unchanged when it is
  // already. Checks that the data key unwraps; cannot check the ciphertext (no AAD).
  Result<std::string> Rewrap(std::string_view sealed) const;

  // The master key id a sealed value names (to find values still on a retired key).
  static Result<std::string> MasterKeyIdOf(std::string_view sealed);

  const KeyRing& keys() const { return keys_; }

 private:
  KeyRing keys_;
};

}  // namespace milkyhoop::crypto
