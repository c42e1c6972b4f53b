// Fuzzes JWT verification: JwtVerifier::Verify on arbitrary bytes with real keys of every
// supported algorithm configured, plus the key-independent stages (segment split, claim
// checks) directly, since the fuzzer cannot forge a signature to reach them through Verify.
// Any crash, sanitizer report or broken invariant (__builtin_trap) is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_keys.hpp"
#include "jwt_token.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/crypto/jwt_verifier.hpp"

namespace milkyhoop::fuzz {
namespace {

using crypto::JwtKey;

struct Target {
  ManualClock clock{Clock::TimePoint(std::chrono::seconds(kFuzzNow))};
  crypto::JwtVerifier verifier = Make(clock);

  static crypto::JwtVerifier Make(const Clock& clock) {
    std::vector<JwtKey> keys = {
        crypto::JwtKey::FromPrivatePem("ed-1", kFuzzEd25519Pem).value(),
        crypto::JwtKey::FromHmacSecret("hs-1", kFuzzHmacSecret).value(),
        crypto::JwtKey::GenerateRsa("rsa-1").value(),
        crypto::JwtKey::GenerateEs256("ec-1").value(),
    };
    return crypto::JwtVerifier::Create(clock, {.issuer = kFuzzIssuer, .audience = kFuzzAudience},
                                       std::move(keys))
        .value();
  }
};

}  // namespace
}  // namespace milkyhoop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace milkyhoop;
  static fuzz::Target* target = new fuzz::Target();  // built once, never destroyed
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  Result<crypto::VerifiedJwt> verified = target->verifier.Verify(input);
  if (verified.ok()) {
    // Only the fixed keys' holders can make a token that verifies; it must be well-formed.
    if (!verified->claims.is_object() || !verified->header.is_object()) __builtin_trap();
  } else if (verified.status().code() != StatusCode::kUnauthenticated) {
    __builtin_trap();  // every rejection is kUnauthenticated
  }

  Result<crypto::internal::JwtParts> parts = crypto::internal::SplitJwt(input, 8192);
  if (parts.ok() && parts->signing_input.size() >= input.size()) __builtin_trap();

  // The same bytes as a claims object, through the claim checks.
  nlohmann::json claims = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_discarded() && claims.is_object()) {
    const Status checked = crypto::internal::CheckClaims(claims, {.issuer = fuzz::kFuzzIssuer,
                                                                  .audience = fuzz::kFuzzAudience,
                                                                  .skew = std::chrono::seconds(60),
                                                                  .now = target->clock.Now()});
    if (!checked.ok() && checked.code() != StatusCode::kUnauthenticated) __builtin_trap();
  }
  return 0;
}
