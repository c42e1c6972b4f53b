#pragma once
// Password hashing with argon2id (libsodium), in the PHC string format
// ("$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>"), so a stored hash carries its own parameters
// and NeedsRehash can upgrade old hashes at the next successful login.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::crypto {

struct Argon2idParams {
  // Defaults: t = 2 passes over m = 64 MiB, p = 1 (libsodium always uses one lane) — libsodium's
  // INTERACTIVE level. OWASP's floor for argon2id is m = 19 MiB, t = 2, p = 1: we keep its t
  // and use 3.4x its memory, because memory is what makes GPU/ASIC guessing expensive.
  // Measured on the 2-core build machine: ~105 ms per hash or verify (OWASP's floor: ~16 ms),
  // 64 MiB held while it runs. It is blocking CPU work: run logins on the blocking pool, whose
  // size then bounds both CPU and memory; the gateway's auth rate limit bounds the rate.
  // If login throughput matters more, {2, 19 MiB} is the lowest acceptable setting.
  // Tests pass smaller values.
  std::uint64_t iterations = 2;
  std::size_t memory_bytes = std::size_t{64} << 20;
};

class PasswordHasher {
 public:
  // Passwords longer than this are refused by Hash and never verify: argon2 would accept them,
  // but a megabyte "password" is a denial-of-service attempt, not a credential.
  static constexpr std::size_t kMaxPasswordBytes = 1024;

  // kInvalidArgument when the parameters are below libsodium's limits (t >= 1, m >= 8 KiB).
  // Computes the dummy hash used by DummyVerify once, here, at the configured cost.
  static Result<PasswordHasher> Create(const Argon2idParams& params = {});

  // A fresh random salt per call. kResourceExhausted when the memory cannot be had.
  Result<std::string> Hash(std::string_view password) const;

  // True when `password` matches `encoded_hash`. False for a wrong password, a malformed or
  // foreign hash, or a password over kMaxPasswordBytes.
  bool Verify(std::string_view encoded_hash, std::string_view password) const;

  // True when the hash was made with other parameters than this hasher's (or is not an argon2id
  // hash at all): re-hash the password just verified and store the new hash.
  bool NeedsRehash(std::string_view encoded_hash) const;

  // Costs what Verify costs, and always fails. Call it when the account does not exist so a
  // login answers in the same time either way and cannot be used to probe for emails.
  void DummyVerify(std::string_view password) const;

  const Argon2idParams& params() const { return params_; }

 private:
  PasswordHasher(Argon2idParams params, std::string dummy_hash)
      : params_(params), dummy_hash_(std::move(dummy_hash)) {}

  Argon2idParams params_;
  std::string dummy_hash_;
};

}  // namespace milkyhoop::crypto
