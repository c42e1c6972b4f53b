#pragma once
// One-time passwords for MFA: HOTP (RFC 4226) and TOTP (RFC 6238), compatible with authenticator
// apps (SHA-1, 6 digits, 30 s steps by default).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/hash.hpp"
#include "milkyhoop/crypto/secret.hpp"

namespace milkyhoop::crypto {

struct TotpParams {
  HashAlgorithm algorithm = HashAlgorithm::kSha1;
  int digits = 6;  // 6..8
  std::chrono::seconds period{30};
};

inline constexpr std::size_t kTotpSecretBytes = 20;  // RFC 4226's recommended 160 bits

// 20 random bytes. Store it sealed (Envelope); show it to the user once, as base32 or a URI.
SecretBytes GenerateTotpSecret();

// The HOTP value of `counter`, zero-padded to `digits` (6..8; other values are clamped).
std::string HotpCode(std::string_view secret, std::uint64_t counter, int digits = 6,
                     HashAlgorithm algorithm = HashAlgorithm::kSha1);

class Totp {
 public:
  explicit Totp(SecretBytes secret, TotpParams params = {});

  // The time step (counter) containing `t`.
  std::uint64_t StepAt(Clock::TimePoint t) const;
  std::string CodeAt(Clock::TimePoint t) const;

  // Checks `code` against the steps now-window..now+window (clock drift of the phone). Returns
  // the matched step, or nullopt. A step <= `last_used_step` never matches: store the returned
  // step and pass it next time, so a code cannot be replayed within its window. Every candidate
  // is compared in constant time; a code of the wrong length or with non-digits never matches.
  std::optional<std::uint64_t> Verify(std::string_view code, Clock::TimePoint now, int window = 1,
                                      std::optional<std::uint64_t> last_used_step = {}) const;

  const TotpParams& params() const { return params_; }

 private:
  SecretBytes secret_;
  TotpParams params_;
};

// otpauth://totp/<Issuer>:<account>?secret=<BASE32>&issuer=<Issuer>&algorithm=SHA1&digits=6
// &period=30 (Key Uri Format), issuer and account percent-encoded. Render it as a QR code.
std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                std::string_view secret, const TotpParams& params = {});

}  // namespace milkyhoop::crypto
