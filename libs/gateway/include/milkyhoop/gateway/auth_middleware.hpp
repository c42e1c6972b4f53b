#pragma once
// The gateway's authentication hook: asks the Authenticator who is calling and enforces the
// route's AuthPolicy. Missing or invalid credentials on a protected route → 401 with
// WWW-Authenticate: Bearer.
#include <optional>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/middleware.hpp"
#include "milkyhoop/http/principal.hpp"

namespace milkyhoop::gateway {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt when the request carries no credentials; an error when it carries invalid ones.
  virtual Result<std::optional<http::Principal>> Authenticate(const http::Request& request) = 0;
  // True when Authenticate() will answer for this request from memory, with no I/O (no
  // database, no key fetch).
  virtual bool AnswersFromMemory(const http::Request& request) const { return false; }
};

class AuthMiddleware final : public http::Middleware {
 public:
  explicit AuthMiddleware(Authenticator& authenticator) : authenticator_(authenticator) {}
  std::optional<http::Response> Before(http::Request& request) override;
  bool MayBlock(const http::Request& request) const override;

 private:
  Authenticator& authenticator_;
};

}  // namespace milkyhoop::gateway
