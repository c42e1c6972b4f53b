// Sign-in with Google (any OpenID Connect provider) and the JWKS of access tokens.
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/auth_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace auth_routes_detail;

const char* const kJwksSchema = R"({
  "type": "object", "required": ["keys"],
  "properties": {"keys": {"type": "array", "items": {"type": "object",
    "required": ["kty", "kid", "alg", "use"],
    "properties": {"kty": {"type": "string"}, "kid": {"type": "string"},
                   "alg": {"type": "string", "enum": ["EdDSA", "RS256"]},
                   "use": {"type": "string", "enum": ["sig"]},
                   "crv": {"type": "string"}, "x": {"type": "string"},
                   "n": {"type": "string"}, "e": {"type": "string"}}}}}
})";

http::ResponseDoc Err(int status, std::string description) {
  return {status, std::move(description), kProblemSchema, "application/problem+json"};
}
http::ResponseDoc Ok(int status, std::string description, std::string schema) {
  return {status, std::move(description), std::move(schema), "application/json"};
}

std::string FragmentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

http::Response Authorize(auth::AuthService& auth, http::Request& request) {
  auto redirect_uri = request.QueryParam("redirect_uri");
  if (!redirect_uri || redirect_uri->empty()) {
    return http::ProblemFromStatus(InvalidField("redirect_uri", "is required"));
  }
  auth::v1::OidcStartRequest req;
  req.set_redirect_uri(*redirect_uri);
  auto started = auth.OidcStart(req);
  if (!started.ok()) return AuthProblem(started.status());
  http::Response response;
  response.status = 302;
  response.content_type = "text/plain; charset=utf-8";
  response.SetHeader("Location", started->authorization_url());
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response Callback(auth::AuthService& auth, const std::string& frontend,
                        http::Request& request) {
  if (auto error = request.QueryParam("error"); error && !error->empty()) {
    std::string reason;
    for (unsigned char c : error->substr(0, 64)) reason += std::isalnum(c) || c == '_' ? c : '?';
    return http::Problem(401, http::code::kUnauthenticated,
                         "the identity provider did not sign you in: " + reason);
  }
  auto code = request.QueryParam("code");
  auto state = request.QueryParam("state");
  Status missing;
  if (!code || code->empty()) {
    missing = Status(StatusCode::kInvalidArgument, "code and state are required");
    missing.WithField("code", "is required");
  }
  if (!state || state->empty()) {
    if (missing.ok()) missing = Status(StatusCode::kInvalidArgument, "code and state are required");
    missing.WithField("state", "is required");
  }
  if (!missing.ok()) return http::ProblemFromStatus(missing);
  auth::v1::OidcCallbackRequest req;
  req.set_code(*code);
  req.set_state(*state);
  const ClientInfo client = ClientInfoFrom(request);
  req.set_ip(client.ip);
  req.set_user_agent(client.user_agent);
  req.set_request_id(client.request_id);
  auto tokens = auth.OidcCallback(req);
  if (!tokens.ok()) return AuthProblem(tokens.status());
  if (frontend.empty()) return TokenResponse(200, *tokens);
  // The fragment never reaches a server (nor its logs): the front end reads it in the browser.
  http::Response response;
  response.status = 302;
  response.content_type = "text/plain; charset=utf-8";
  response.SetHeader("Location",
                     frontend + "#access_token=" + FragmentEncode(tokens->access_token()) +
                         "&refresh_token=" + FragmentEncode(tokens->refresh_token()) +
                         "&token_type=Bearer&expires_in=" + std::to_string(tokens->expires_in()));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response Jwks(auth::AuthService& auth) {
  auto jwks = auth.GetJwks({});
  if (!jwks.ok()) return http::ProblemFromStatus(jwks.status());
  http::Response response = http::Response::Json(200, jwks->jwks_json());
  // Verifiers may cache briefly: a rotated-in key appears within minutes, and an old key stays
  // published long after its last token expired.
  response.SetHeader("Cache-Control", "public, max-age=300");
  return response;
}

}  // namespace

Status RegisterOAuthRoutes(http::Router& router, auth::AuthService& auth,
                           const AuthRoutesOptions& options) {
  auto* a = &auth;
  http::Route authorize;
  authorize.method = "GET";
  authorize.path = "/v1/auth/oauth/google/authorize";
  authorize.operation_id = "oauthAuthorize";
  authorize.summary = "Start sign-in with Google: redirects to the identity provider";
  authorize.tag = kTag;
  authorize.rate_class = http::RateClass::kAuth;
  authorize.params = {{"redirect_uri", "query", R"({"type":"string","format":"uri"})", true,
                       "Where the provider sends the browser back with ?code=&state= (one of "
                       "the configured oidc.redirect_uris)"}};
  authorize.responses = {
      {302, "To the provider's authorization endpoint (state, nonce and PKCE S256 included)", "",
       "application/json"},
      Err(400, "redirect_uri is missing or not allowed"),
      Err(404, "Sign-in with Google is not configured"),
      Err(503, "The identity provider cannot be reached")};
  authorize.handler = [a](http::Request& r) { return Authorize(*a, r); };
  MH_TRY(router.Add(std::move(authorize)));

  http::Route callback;
  callback.method = "GET";
  callback.path = "/v1/auth/oauth/google/callback";
  callback.operation_id = "oauthCallback";
  callback.summary = "Finish sign-in with Google: exchanges the code, returns tokens";
  callback.tag = kTag;
  callback.rate_class = http::RateClass::kAuth;
  callback.params = {
      {"code", "query", R"({"type":"string"})", true, "The provider's authorization code"},
      {"state", "query", R"({"type":"string"})", true, "The state of the authorize redirect"},
      {"error", "query", R"({"type":"string"})", false, "Set by the provider on refusal"}};
  callback.responses = {
      Ok(200, "Signed in (an account is created, or linked by verified email, on first use)",
         kTokenResponseSchema),
      {302, "With oidc.frontend_redirect_url set: to the front end, tokens in the fragment", "",
       "application/json"},
      Err(400, "code or state missing, or the state is unknown, used or expired"),
      Err(401,
          "The provider refused, or its ID token did not verify (signature, issuer, "
          "audience, nonce, expiry, unverified email)"),
      Err(503, "The identity provider cannot be reached")};
  callback.handler = [a, frontend = options.oauth_frontend_redirect_url](http::Request& r) {
    return Callback(*a, frontend, r);
  };
  MH_TRY(router.Add(std::move(callback)));

  http::Route jwks;
  jwks.method = "GET";
  jwks.path = "/.well-known/jwks.json";
  jwks.operation_id = "getJwks";
  jwks.summary = "Public keys that verify access tokens (JWKS)";
  jwks.tag = kTag;
  jwks.responses = {Ok(200, "The JWKS", kJwksSchema)};
  jwks.handler = [a](http::Request&) { return Jwks(*a); };
  return router.Add(std::move(jwks));
}

}  // namespace milkyhoop::gateway
