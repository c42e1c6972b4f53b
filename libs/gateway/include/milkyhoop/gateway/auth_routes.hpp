#pragma once
// HTTP routes of accounts and sessions (API.md "Auth — users and sessions") over an
// AuthService, and the UserDirectory the member routes use, answered by the auth service.
//
//   POST   /v1/auth/register                   201 token response
//   POST   /v1/auth/login                      200 token response; 401; 429 + Retry-After
//   POST   /v1/auth/refresh                    200 token response (the old refresh token is spent)
//   POST   /v1/auth/logout                     204
//   GET    /v1/auth/me                         the user and their organisations
//   GET    /v1/auth/sessions                   {items, next_cursor: null}
//   DELETE /v1/auth/sessions/{session_id}      204
//   POST   /v1/auth/mfa/totp/setup|enable|disable
//   GET    /v1/auth/oauth/google/authorize     302 to the identity provider
//   GET    /v1/auth/oauth/google/callback      200 token response, or 302 to the front end
//   GET    /.well-known/jwks.json              the public keys of access tokens
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/gateway/user_directory.hpp"
#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"
#include "milkyhoop/http/router.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>

namespace milkyhoop::gateway {

// One organisation of GET /v1/auth/me.
struct OrgMembership {
  std::string id;
  std::string name;
  std::string role;  // owner | admin | member | viewer
};
// The organisations a user belongs to (the organisation service answers it).
using OrgMembershipsLookup =
    std::function<Result<std::vector<OrgMembership>>(std::string_view user_id)>;

class MeCache;

struct AuthRoutesOptions {
  // Empty: /v1/auth/me answers "orgs": [].
  OrgMembershipsLookup org_memberships;
  // Where /v1/auth/me bodies are kept between reads; null: every /me reads the services. Only
  // for a process that hosts auth and organisations itself (see me_cache.hpp). Must outlive
  // the router.
  MeCache* me_cache = nullptr;
  // oidc.frontend_redirect_url: when set, the OAuth callback answers 302 to it with the tokens
  // in the URL fragment (never sent to a server) instead of a JSON body.
  std::string oauth_frontend_redirect_url;
};

// Adds every route above. `auth` must outlive the router.
Status RegisterAuthRoutes(http::Router& router, auth::AuthService& auth,
                          AuthRoutesOptions options = {});

// UserDirectory over AuthService::FindUserByEmail. `auth` must outlive it.
std::unique_ptr<UserDirectory> MakeAuthUserDirectory(auth::AuthService& auth);

// The route groups RegisterAuthRoutes adds, one file each (auth_routes_*.cpp).
Status RegisterAccountRoutes(http::Router& router, auth::AuthService& auth);
Status RegisterSessionRoutes(http::Router& router, auth::AuthService& auth,
                             const AuthRoutesOptions& options);
Status RegisterOAuthRoutes(http::Router& router, auth::AuthService& auth,
                           const AuthRoutesOptions& options);

// Shared by the auth_routes_*.cpp files.
namespace auth_routes_detail {

// Client facts for the audit trail, cut to printable ASCII of bounded length (they cross gRPC
// as proto strings, which must be valid UTF-8).
struct ClientInfo {
  std::string ip;
  std::string user_agent;
  std::string request_id;
};
ClientInfo ClientInfoFrom(const http::Request& request);

// Reads a JSON object body field by field, collecting a field error for each missing or
// mistyped field; unknown fields are ignored.
class BodyFields {
 public:
  // nullopt and `problem` set when the body is not a JSON object (400/415).
  static std::optional<BodyFields> Parse(const http::Request& request, http::Response* problem);
  std::string RequiredString(const char* name);
  std::string OptionalString(const char* name);
  bool ok() const { return errors_.empty(); }
  http::Response Problem() const;

 private:
  explicit BodyFields(nlohmann::json* body);
  std::shared_ptr<nlohmann::json> body_;
  std::vector<FieldError> errors_;
};

// {user: {id, email, name}, access_token, refresh_token, token_type, expires_in}, no-store.
http::Response TokenResponse(int status, const auth::v1::AuthResponse& tokens);
// The problem of a failed auth call; 429 carries Retry-After.
http::Response AuthProblem(const Status& status);
// RFC 3339 UTC of Unix milliseconds.
std::string Rfc3339(std::int64_t unix_ms);

inline constexpr const char* kTag = "Auth";
extern const char* const kTokenResponseSchema;
extern const char* const kProblemSchema;

}  // namespace auth_routes_detail

}  // namespace milkyhoop::gateway
