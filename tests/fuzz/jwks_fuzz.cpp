// Fuzzes JWKS/JWK import: the key documents fetched from an OIDC provider's jwks_uri are
// network input. Every key that imports must export to a JWK that imports to the same key.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "milkyhoop/crypto/jwt_key.hpp"

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& kid) {
  std::fprintf(stderr, "jwks_fuzz invariant broken for kid '%s': %s\n", kid.c_str(), what.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace milkyhoop;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Result<crypto::JwksKeys> keys = crypto::ParseJwks(input);
  if (!keys.ok()) return 0;
  for (const crypto::JwtKey& key : keys->keys) {
    if (key.can_sign()) Fail("an imported key can sign", key.kid());
    Result<nlohmann::json> jwk = key.ToPublicJwk();
    if (!jwk.ok()) Fail("export failed: " + jwk.status().message(), key.kid());
    Result<crypto::JwtKey> again = crypto::JwtKey::FromJwk(*jwk);
    if (!again.ok()) Fail("re-import failed: " + again.status().message(), key.kid());
    if (again->algorithm() != key.algorithm()) Fail("algorithm changed", key.kid());
    Result<nlohmann::json> jwk_again = again->ToPublicJwk();
    if (!jwk_again.ok() || *jwk_again != *jwk) Fail("export of the re-import differs", key.kid());
  }
  return 0;
}
