// Account routes: register, login, refresh, logout; and RegisterAuthRoutes, which adds all.
#include "milkyhoop/gateway/auth_routes.hpp"

#include <nlohmann/json.hpp>

#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace auth_routes_detail;

const char* const kRegisterSchema = R"({
  "type": "object",
  "required": ["email", "password", "name"],
  "properties": {
    "email": {"type": "string", "format": "email", "maxLength": 254,
              "description": "Trimmed and lower-cased; unique"},
    "password": {"type": "string", "minLength": 8, "maxLength": 128,
                 "description": "Not a common password, not containing the email's name part"},
    "name": {"type": "string", "minLength": 1, "maxLength": 100}
  }
})";

const char* const kLoginSchema = R"({
  "type": "object",
  "required": ["email", "password"],
  "properties": {
    "email": {"type": "string", "format": "email"},
    "password": {"type": "string"},
    "totp_code": {"type": "string", "pattern": "^[0-9]{6}$",
                  "description": "Required when the account has TOTP enabled: without it the answer is 401 with errors[{field: totp_code, message: required}]"}
  }
})";

const char* const kRefreshSchema = R"({
  "type": "object",
  "required": ["refresh_token"],
  "properties": {"refresh_token": {"type": "string"}}
})";

http::Response Register(auth::AuthService& auth, http::Request& request) {
  http::Response problem;
  auto body = BodyFields::Parse(request, &problem);
  if (!body) return problem;
  auth::v1::RegisterRequest req;
  req.set_email(body->RequiredString("email"));
  req.set_password(body->RequiredString("password"));
  req.set_name(body->RequiredString("name"));
  if (!body->ok()) return body->Problem();
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  auto tokens = auth.Register(req);
  if (!tokens.ok()) return AuthProblem(tokens.status());
  http::Response response = TokenResponse(201, *tokens);
  response.SetHeader("Location", "/v1/auth/me");
  return response;
}

http::Response Login(auth::AuthService& auth, http::Request& request) {
  http::Response problem;
  auto body = BodyFields::Parse(request, &problem);
  if (!body) return problem;
  auth::v1::LoginRequest req;
  req.set_email(body->RequiredString("email"));
  req.set_password(body->RequiredString("password"));
  req.set_totp_code(body->OptionalString("totp_code"));
  if (!body->ok()) return body->Problem();
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  auto tokens = auth.Login(req);
  if (!tokens.ok()) return AuthProblem(tokens.status());
  return TokenResponse(200, *tokens);
}

// Refresh and logout read the same body.
template <typename Req>
std::optional<http::Response> ReadRefreshToken(http::Request& request, Req& req) {
  http::Response problem;
  auto body = BodyFields::Parse(request, &problem);
  if (!body) return problem;
  req.set_refresh_token(body->RequiredString("refresh_token"));
  if (!body->ok()) return body->Problem();
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  return std::nullopt;
}

http::Response Refresh(auth::AuthService& auth, http::Request& request) {
  auth::v1::RefreshRequest req;
  if (auto problem = ReadRefreshToken(request, req)) return std::move(*problem);
  auto tokens = auth.Refresh(req);
  if (!tokens.ok()) return AuthProblem(tokens.status());
  return TokenResponse(200, *tokens);
}

http::Response Logout(auth::AuthService& auth, http::Request& request) {
  auth::v1::LogoutRequest req;
  if (auto problem = ReadRefreshToken(request, req)) return std::move(*problem);
  auto done = auth.Logout(req);
  if (!done.ok()) return AuthProblem(done.status());
  return http::Response::NoContent();
}

http::ResponseDoc Err(int status, std::string description) {
  return {status, std::move(description), kProblemSchema, "application/problem+json"};
}
http::ResponseDoc Ok(int status, std::string description, std::string schema) {
  return {status, std::move(description), std::move(schema), "application/json"};
}

}  // namespace

Status RegisterAccountRoutes(http::Router& router, auth::AuthService& auth) {
  auto* a = &auth;
  http::Route reg;
  reg.method = "POST";
  reg.path = "/v1/auth/register";
  reg.operation_id = "registerUser";
  reg.summary = "Create an account and sign in";
  reg.tag = kTag;
  reg.rate_class = http::RateClass::kAuth;
  reg.request_schema = kRegisterSchema;
  reg.responses = {Ok(201, "Account created; signed in", kTokenResponseSchema),
                   Err(400, "A field is missing or invalid (errors[] names it)"),
                   Err(409, "The email is already registered"),
                   Err(429, "Too many attempts from this address")};
  reg.max_body_bytes = 16 * 1024;
  reg.handler = [a](http::Request& r) { return Register(*a, r); };
  MH_TRY(router.Add(std::move(reg)));

  http::Route login;
  login.method = "POST";
  login.path = "/v1/auth/login";
  login.operation_id = "login";
  login.summary = "Sign in with email and password (and a TOTP code when enabled)";
  login.tag = kTag;
  login.rate_class = http::RateClass::kAuth;
  login.request_schema = kLoginSchema;
  login.responses = {
      Ok(200, "Signed in", kTokenResponseSchema),
      Err(400, "A field is missing or has the wrong type"),
      Err(401,
          "Wrong email or password (the same answer whether or not the email exists), a "
          "missing TOTP code (errors[].field = totp_code) or a wrong one"),
      Err(429,
          "The account is locked after repeated failures (Retry-After says for how long), "
          "or too many attempts from this address")};
  login.max_body_bytes = 16 * 1024;
  login.handler = [a](http::Request& r) { return Login(*a, r); };
  MH_TRY(router.Add(std::move(login)));

  http::Route refresh;
  refresh.method = "POST";
  refresh.path = "/v1/auth/refresh";
  refresh.operation_id = "refreshTokens";
  refresh.summary = "Exchange a refresh token for a new token pair";
  refresh.tag = kTag;
  refresh.rate_class = http::RateClass::kAuth;
  refresh.request_schema = kRefreshSchema;
  refresh.responses = {
      Ok(200, "A new pair; the refresh token sent is now spent", kTokenResponseSchema),
      Err(400, "refresh_token is missing"),
      Err(401,
          "Unknown, expired or revoked refresh token; a spent one revokes its whole "
          "session")};
  refresh.max_body_bytes = 4 * 1024;
  refresh.handler = [a](http::Request& r) { return Refresh(*a, r); };
  MH_TRY(router.Add(std::move(refresh)));

  http::Route logout;
  logout.method = "POST";
  logout.path = "/v1/auth/logout";
  logout.operation_id = "logout";
  logout.summary = "End the session of a refresh token";
  logout.tag = kTag;
  logout.rate_class = http::RateClass::kAuth;
  logout.request_schema = kRefreshSchema;
  logout.responses = {Ok(204, "Signed out (also when the token was already unknown)", ""),
                      Err(400, "refresh_token is missing")};
  logout.max_body_bytes = 4 * 1024;
  logout.handler = [a](http::Request& r) { return Logout(*a, r); };
  return router.Add(std::move(logout));
}

Status RegisterAuthRoutes(http::Router& router, auth::AuthService& auth,
                          AuthRoutesOptions options) {
  MH_TRY(RegisterAccountRoutes(router, auth));
  MH_TRY(RegisterSessionRoutes(router, auth, options));
  return RegisterOAuthRoutes(router, auth, options);
}

}  // namespace milkyhoop::gateway
