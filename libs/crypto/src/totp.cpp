#include "milkyhoop/crypto/totp.hpp"

#include <algorithm>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto {
namespace {

constexpr std::uint32_t kPow10[] = {1,      10,      100,      1000,      10000,
                                    100000, 1000000, 10000000, 100000000, 1000000000};

std::string_view AlgorithmName(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha1:
      return "SHA1";
    case HashAlgorithm::kSha256:
      return "SHA256";
    case HashAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

// RFC 3986 unreserved characters pass; everything else becomes %XX.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

int ClampDigits(int digits) { return std::clamp(digits, 6, 8); }

}  // namespace

SecretBytes GenerateTotpSecret() { return SecretBytes(RandomBytes(kTotpSecretBytes)); }

std::string HotpCode(std::string_view secret, std::uint64_t counter, int digits,
                     HashAlgorithm algorithm) {
  digits = ClampDigits(digits);
  char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<char>(counter & 0xFF);
    counter >>= 8;
  }
  const std::string mac = Hmac(algorithm, secret, std::string_view(message, sizeof(message)));
  // Dynamic truncation (RFC 4226 section 5.3).
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(mac[i]));
  };
  const std::size_t offset = byte(mac.size() - 1) & 0x0F;
  const std::uint32_t binary = ((byte(offset) & 0x7F) << 24) | (byte(offset + 1) << 16) |
                               (byte(offset + 2) << 8) | byte(offset + 3);
  std::string code = std::to_string(binary % kPow10[digits]);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

Totp::Totp(SecretBytes secret, TotpParams params) : secret_(std::move(secret)), params_(params) {
  params_.digits = ClampDigits(params_.digits);
  if (params_.period.count() <= 0) params_.period = std::chrono::seconds(30);
}

std::uint64_t Totp::StepAt(Clock::TimePoint t) const {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  if (seconds <= 0) return 0;
  return static_cast<std::uint64_t>(seconds) / static_cast<std::uint64_t>(params_.period.count());
}

std::string Totp::CodeAt(Clock::TimePoint t) const {
  return HotpCode(secret_.view(), StepAt(t), params_.digits, params_.algorithm);
}

std::optional<std::uint64_t> Totp::Verify(std::string_view code, Clock::TimePoint now, int window,
                                          std::optional<std::uint64_t> last_used_step) const {
  if (code.size() != static_cast<std::size_t>(params_.digits)) return std::nullopt;
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  window = std::clamp(window, 0, 10);
  const std::uint64_t current = StepAt(now);
  std::optional<std::uint64_t> matched;
  // Every candidate is computed and compared, matched or not, so the time taken does not tell
  // which step (if any) matched.
  for (int delta = -window; delta <= window; ++delta) {
    if (delta < 0 && current < static_cast<std::uint64_t>(-delta)) continue;
    const std::uint64_t step =
        current + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    const bool equal =
        ConstantTimeEquals(HotpCode(secret_.view(), step, params_.digits, params_.algorithm), code);
    const bool fresh = !last_used_step.has_value() || step > *last_used_step;
    if (equal && fresh && !matched.has_value()) matched = step;
  }
  return matched;
}

std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                std::string_view secret, const TotpParams& params) {
  std::string uri = "otpauth://totp/";
  uri += PercentEncode(issuer);
  uri += ':';
  uri += PercentEncode(account);
  uri += "?secret=";
  uri += Base32Encode(secret);
  uri += "&issuer=";
  uri += PercentEncode(issuer);
  uri += "&algorithm=";
  uri += AlgorithmName(params.algorithm);
  uri += "&digits=";
  uri += std::to_string(ClampDigits(params.digits));
  uri += "&period=";
  uri += std::to_string(params.period.count() > 0 ? params.period.count() : 30);
  return uri;
}

}  // namespace milkyhoop::crypto
