#pragma once
// How the auth service keeps secrets at rest (JWT signing keys, TOTP secrets, PKCE verifiers):
// sealed by the security service's envelope encryption, bound by `context` to the row and
// column they are stored in, so a sealed value copied elsewhere does not open.
#include <memory>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/security/security_service.hpp"

namespace milkyhoop::auth {

class SecretSealer {
 public:
  explicit SecretSealer(security::SecurityService& security) : security_(security) {}

  Result<std::string> Seal(std::string_view plaintext, std::string_view context);
  Result<std::string> Open(std::string_view sealed, std::string_view context);

 private:
  security::SecurityService& security_;
};

}  // namespace milkyhoop::auth
