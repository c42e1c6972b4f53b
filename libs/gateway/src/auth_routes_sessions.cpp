// The signed-in user's routes: /v1/auth/me, sessions, TOTP.
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/auth_routes.hpp"
#include "milkyhoop/gateway/me_cache.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace auth_routes_detail;
using nlohmann::json;

const char* const kMeSchema = R"({
  "type": "object",
  "required": ["id", "email", "name", "mfa_enabled", "orgs"],
  "properties": {
    "id": {"type": "string"}, "email": {"type": "string"}, "name": {"type": "string"},
    "mfa_enabled": {"type": "boolean"},
    "orgs": {"type": "array", "items": {"type": "object", "required": ["id", "name", "role"],
      "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                     "role": {"type": "string", "enum": ["owner", "admin", "member", "viewer"]}}}}
  }
})";

const char* const kSessionsSchema = R"({
  "type": "object",
  "required": ["items", "next_cursor"],
  "properties": {
    "items": {"type": "array", "items": {"type": "object",
      "required": ["id", "created_at", "last_used_at", "expires_at", "ip", "user_agent", "current"],
      "properties": {
        "id": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "last_used_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"},
        "ip": {"type": "string"}, "user_agent": {"type": "string"},
        "current": {"type": "boolean", "description": "The session of this access token"}}}},
    "next_cursor": {"type": "null", "description": "Sessions are few: always one page"}
  }
})";

const char* const kTotpSetupSchema = R"({
  "type": "object",
  "required": ["secret", "otpauth_url"],
  "properties": {
    "secret": {"type": "string", "description": "Base32, for typing into an authenticator app"},
    "otpauth_url": {"type": "string", "description": "otpauth://totp/... to show as a QR code"}
  }
})";

const char* const kCodeSchema = R"({
  "type": "object",
  "required": ["code"],
  "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$",
                          "description": "The current code of the authenticator app"}}
})";

const char* const kMfaStateSchema = R"({
  "type": "object", "required": ["mfa_enabled"],
  "properties": {"mfa_enabled": {"type": "boolean"}}
})";

http::ResponseDoc Err(int status, std::string description) {
  return {status, std::move(description), kProblemSchema, "application/problem+json"};
}
http::ResponseDoc Ok(int status, std::string description, std::string schema) {
  return {status, std::move(description), std::move(schema), "application/json"};
}

http::Route UserRoute(std::string method, std::string path, std::string operation_id,
                      std::string summary) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), kTag, http::AuthPolicy::kUser, "");
}

http::Response NoPrincipal() {
  return http::Problem(401, http::code::kUnauthenticated, "a user's access token is required");
}

std::optional<http::Response> CachedMe(MeCache* cache, const http::Request& request) {
  if (!cache || !request.principal) return std::nullopt;
  std::optional<std::string> body = cache->Get(request.principal->subject_id);
  if (!body) return std::nullopt;
  return http::Response::Json(200, std::move(*body));
}

http::Response Me(auth::AuthService& auth, const OrgMembershipsLookup& orgs, MeCache* cache,
                  http::Request& request) {
  if (!request.principal) return NoPrincipal();
  if (auto cached = CachedMe(cache, request)) return std::move(*cached);
  const std::string& user_id = request.principal->subject_id;
  const std::uint64_t epoch = cache ? cache->Epoch() : 0;
  auth::v1::GetUserRequest req;
  req.set_user_id(user_id);
  auto user = auth.GetUser(req);
  if (!user.ok()) return AuthProblem(user.status());
  json memberships = json::array();
  if (orgs) {
    auto list = orgs(user->user().id());
    if (!list.ok()) return http::ProblemFromStatus(list.status());
    for (const OrgMembership& m : *list) {
      memberships.push_back({{"id", m.id}, {"name", m.name}, {"role", m.role}});
    }
  }
  http::Response response = http::JsonResponse(200, {{"id", user->user().id()},
                                                     {"email", user->user().email()},
                                                     {"name", user->user().name()},
                                                     {"mfa_enabled", user->user().mfa_enabled()},
                                                     {"orgs", std::move(memberships)}});
  if (cache) cache->Put(user_id, epoch, response.body);
  return response;
}

http::Response ListSessions(auth::AuthService& auth, http::Request& request) {
  if (!request.principal) return NoPrincipal();
  auth::v1::ListSessionsRequest req;
  req.set_user_id(request.principal->subject_id);
  req.set_current_session_id(request.principal->session_id);
  auto sessions = auth.ListSessions(req);
  if (!sessions.ok()) return AuthProblem(sessions.status());
  json items = json::array();
  for (const auto& s : sessions->sessions()) {
    items.push_back({{"id", s.id()},
                     {"created_at", Rfc3339(s.created_at())},
                     {"last_used_at", Rfc3339(s.last_used_at())},
                     {"expires_at", Rfc3339(s.expires_at())},
                     {"ip", s.ip()},
                     {"user_agent", s.user_agent()},
                     {"current", s.current()}});
  }
  return http::JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

http::Response RevokeSession(auth::AuthService& auth, http::Request& request) {
  if (!request.principal) return NoPrincipal();
  auth::v1::RevokeSessionRequest req;
  req.set_user_id(request.principal->subject_id);
  req.set_session_id(request.Param("session_id"));
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  auto done = auth.RevokeSession(req);
  if (!done.ok()) return AuthProblem(done.status());
  return http::Response::NoContent();
}

http::Response TotpSetup(auth::AuthService& auth, http::Request& request) {
  if (!request.principal) return NoPrincipal();
  auth::v1::TotpSetupRequest req;
  req.set_user_id(request.principal->subject_id);
  auto setup = auth.TotpSetup(req);
  if (!setup.ok()) return AuthProblem(setup.status());
  http::Response response =
      http::JsonResponse(200, {{"secret", setup->secret()}, {"otpauth_url", setup->otpauth_url()}});
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response TotpCode(auth::AuthService& auth, http::Request& request, bool enable) {
  if (!request.principal) return NoPrincipal();
  http::Response problem;
  auto body = BodyFields::Parse(request, &problem);
  if (!body) return problem;
  auth::v1::TotpCodeRequest req;
  req.set_code(body->RequiredString("code"));
  if (!body->ok()) return body->Problem();
  req.set_user_id(request.principal->subject_id);
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  auto state = enable ? auth.TotpEnable(req) : auth.TotpDisable(req);
  if (!state.ok()) return AuthProblem(state.status());
  return http::JsonResponse(200, {{"mfa_enabled", state->mfa_enabled()}});
}

}  // namespace

Status RegisterSessionRoutes(http::Router& router, auth::AuthService& auth,
                             const AuthRoutesOptions& options) {
  auto* a = &auth;
  http::Route me =
      UserRoute("GET", "/v1/auth/me", "getMe", "The signed-in user and their organisations");
  me.responses = {Ok(200, "The user", kMeSchema)};
  me.handler = [a, orgs = options.org_memberships, cache = options.me_cache](http::Request& r) {
    return Me(*a, orgs, cache, r);
  };
  if (options.me_cache) {
    me.fast_path = [cache = options.me_cache](http::Request& r) { return CachedMe(cache, r); };
  }
  MH_TRY(router.Add(std::move(me)));

  http::Route list = UserRoute("GET", "/v1/auth/sessions", "listSessions",
                               "The user's active sessions (signed-in devices)");
  list.responses = {Ok(200, "Active sessions, newest first", kSessionsSchema)};
  list.handler = [a](http::Request& r) { return ListSessions(*a, r); };
  MH_TRY(router.Add(std::move(list)));

  http::Route revoke = UserRoute("DELETE", "/v1/auth/sessions/{session_id}", "revokeSession",
                                 "Sign a session out (its refresh token stops working)");
  revoke.responses = {Ok(204, "Revoked", ""),
                      Err(404, "No active session of this user has this id")};
  revoke.handler = [a](http::Request& r) { return RevokeSession(*a, r); };
  MH_TRY(router.Add(std::move(revoke)));

  http::Route setup = UserRoute("POST", "/v1/auth/mfa/totp/setup", "setupTotp",
                                "Start TOTP set-up: a new secret, enabled once a code confirms it");
  setup.request_media_types = {};
  setup.responses = {Ok(200, "The secret; shown once", kTotpSetupSchema),
                     Err(409, "TOTP is already enabled")};
  setup.max_body_bytes = 1024;
  setup.handler = [a](http::Request& r) { return TotpSetup(*a, r); };
  MH_TRY(router.Add(std::move(setup)));

  http::Route enable = UserRoute("POST", "/v1/auth/mfa/totp/enable", "enableTotp",
                                 "Confirm the set-up secret with a current code");
  enable.request_schema = kCodeSchema;
  enable.responses = {Ok(200, "Enabled: logins now need a code", kMfaStateSchema),
                      Err(400, "code is missing or not the current code"),
                      Err(409, "No set-up is pending, or TOTP is already enabled")};
  enable.max_body_bytes = 1024;
  enable.handler = [a](http::Request& r) { return TotpCode(*a, r, true); };
  MH_TRY(router.Add(std::move(enable)));

  http::Route disable = UserRoute("POST", "/v1/auth/mfa/totp/disable", "disableTotp",
                                  "Turn TOTP off with a current code");
  disable.request_schema = kCodeSchema;
  disable.responses = {Ok(200, "Disabled", kMfaStateSchema),
                       Err(400, "code is missing, not current, or already used"),
                       Err(409, "TOTP is not enabled")};
  disable.max_body_bytes = 1024;
  disable.handler = [a](http::Request& r) { return TotpCode(*a, r, false); };
  return router.Add(std::move(disable));
}

}  // namespace milkyhoop::gateway
