#include "oidc_client.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/httpclient/url.hpp"

namespace milkyhoop::auth {
namespace {

using nlohmann::json;
constexpr std::chrono::seconds kIdTokenSkew{60};

bool SecureOrLoopback(std::string_view url) {
  auto parsed = httpclient::ParseUrl(url);
  return parsed.ok() && (parsed->scheme == "https" || IsLoopbackHttp(url));
}

std::string StringMember(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Contains(const json& j, const char* array_name, std::string_view value) {
  auto it = j.find(array_name);
  if (it == j.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(),
                     [&](const json& v) { return v.is_string() && v.get<std::string>() == value; });
}

Result<json> JsonBody(const httpclient::Response& res, std::string_view what) {
  json j = json::parse(res.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Unavailable("identity provider's " + std::string(what) + " is not a JSON object");
  }
  return j;
}

}  // namespace

bool IsLoopbackHttp(std::string_view url) {
  auto parsed = httpclient::ParseUrl(url);
  if (!parsed.ok() || parsed->scheme != "http") return false;
  return parsed->host == "localhost" || parsed->host == "::1" || parsed->host.starts_with("127.");
}

Result<std::unique_ptr<OidcClient>> OidcClient::Create(const OidcConfig& config,
                                                       const Clock& clock) {
  if (config.client_id.empty()) return InvalidField("oidc.client_id", "is required");
  if (config.client_secret.empty()) {
    return InvalidField("oidc.client_secret",
                        "is required (MILKYHOOP_OIDC_CLIENT_SECRET or oidc.client_secret_file)");
  }
  if (!SecureOrLoopback(config.issuer)) {
    return InvalidField("oidc.issuer", "must be an https URL (http only for loopback hosts)");
  }
  httpclient::ClientOptions http;
  http.connect_timeout = std::min(config.http_timeout, http.connect_timeout);
  http.total_timeout = config.http_timeout;
  http.max_response_body_bytes = 1 << 20;
  http.extra_ca_file = config.ca_file;
  MH_ASSIGN_OR_RETURN(httpclient::HttpClient client, httpclient::HttpClient::Create(http));
  return std::unique_ptr<OidcClient>(new OidcClient(config, clock, std::move(client)));
}

Result<OidcMetadata> OidcClient::Metadata() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (metadata_ && now - metadata_at_ < config_.discovery_ttl) return *metadata_;
  std::string base = config_.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto res =
      http_.Get(base + "/.well-known/openid-configuration", {{"Accept", "application/json"}});
  if (!res.ok()) {
    return Unavailable("identity provider discovery failed: " + res.status().message());
  }
  if (res->status != 200) {
    return Unavailable("identity provider discovery answered HTTP " + std::to_string(res->status));
  }
  MH_ASSIGN_OR_RETURN(json doc, JsonBody(*res, "discovery document"));
  OidcMetadata meta;
  meta.issuer = StringMember(doc, "issuer");
  meta.authorization_endpoint = StringMember(doc, "authorization_endpoint");
  meta.token_endpoint = StringMember(doc, "token_endpoint");
  meta.jwks_uri = StringMember(doc, "jwks_uri");
  meta.userinfo_endpoint = StringMember(doc, "userinfo_endpoint");
  if (!meta.userinfo_endpoint.empty() && !SecureOrLoopback(meta.userinfo_endpoint)) {
    meta.userinfo_endpoint.clear();
  }
  // OIDC Discovery 4.3: the document must name exactly the issuer it was fetched for.
  if (meta.issuer != config_.issuer) {
    return Unavailable("identity provider discovery names issuer '" + meta.issuer +
                       "', expected '" + config_.issuer + "'");
  }
  for (const std::string* url :
       {&meta.authorization_endpoint, &meta.token_endpoint, &meta.jwks_uri}) {
    if (!SecureOrLoopback(*url)) {
      return Unavailable("identity provider discovery has a missing or insecure endpoint");
    }
  }
  // RFC 8414: absent means client_secret_basic.
  if (doc.contains("token_endpoint_auth_methods_supported")) {
    if (Contains(doc, "token_endpoint_auth_methods_supported", "client_secret_basic")) {
      meta.client_secret_basic = true;
    } else if (Contains(doc, "token_endpoint_auth_methods_supported", "client_secret_post")) {
      meta.client_secret_basic = false;
    } else {
      return Unavailable("identity provider supports neither client_secret_basic nor _post");
    }
  }
  if (doc.contains("code_challenge_methods_supported") &&
      !Contains(doc, "code_challenge_methods_supported", "S256")) {
    return Unavailable("identity provider does not support PKCE S256");
  }
  metadata_ = meta;
  metadata_at_ = now;
  return meta;
}

Result<std::string> OidcClient::AuthorizationUrl(std::string_view redirect_uri,
                                                 std::string_view state, std::string_view nonce,
                                                 std::string_view code_challenge) {
  MH_ASSIGN_OR_RETURN(OidcMetadata meta, Metadata());
  return httpclient::WithQuery(meta.authorization_endpoint,
                               {{"response_type", "code"},
                                {"client_id", config_.client_id},
                                {"redirect_uri", std::string(redirect_uri)},
                                {"scope", config_.scopes},
                                {"state", std::string(state)},
                                {"nonce", std::string(nonce)},
                                {"code_challenge", std::string(code_challenge)},
                                {"code_challenge_method", "S256"}});
}

Status OidcClient::FetchJwks(const OidcMetadata& meta) {
  auto res = http_.Get(meta.jwks_uri, {{"Accept", "application/json"}});
  if (!res.ok())
    return Unavailable("identity provider JWKS fetch failed: " + res.status().message());
  if (res->status != 200) {
    return Unavailable("identity provider JWKS answered HTTP " + std::to_string(res->status));
  }
  auto keys = crypto::ParseJwks(res->body);
  if (!keys.ok()) return Unavailable("identity provider JWKS: " + keys.status().message());
  for (const std::string& skipped : keys->skipped) {
    MH_LOG_DEBUG("oidc jwks key skipped", {"reason", skipped});
  }
  crypto::JwtVerifierOptions options;
  options.issuer = meta.issuer;
  options.audience = config_.client_id;
  options.clock_skew = kIdTokenSkew;
  MH_ASSIGN_OR_RETURN(crypto::JwtVerifier verifier,
                      crypto::JwtVerifier::Create(clock_, options, keys->keys));
  verifier_ = std::move(verifier);
  jwks_at_ = std::chrono::steady_clock::now();
  return Status::Ok();
}

Result<crypto::VerifiedJwt> OidcClient::VerifyIdToken(std::string_view id_token,
                                                      const OidcMetadata& meta) {
  // The kid, read before verification only to decide whether the JWKS needs a refetch.
  std::string kid;
  if (auto dot = id_token.find('.'); dot != std::string_view::npos) {
    auto header_text = crypto::Base64UrlDecode(id_token.substr(0, dot));
    if (header_text.ok()) {
      json header = json::parse(*header_text, nullptr, false);
      if (header.is_object()) kid = StringMember(header, "kid");
    }
  }
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  auto known = [&] {
    if (!verifier_) return false;
    auto kids = verifier_->Kids();
    return std::find(kids.begin(), kids.end(), kid) != kids.end();
  };
  if (!verifier_ || (!kid.empty() && !known() && now - jwks_at_ >= config_.jwks_min_refresh)) {
    MH_TRY(FetchJwks(meta));
  }
  auto verified = verifier_->Verify(id_token);
  if (!verified.ok()) {
    return Unauthenticated("identity provider's ID token rejected: " + verified.status().message());
  }
  return verified;
}

Result<json> OidcClient::UserInfo(const OidcMetadata& meta, std::string_view access_token,
                                  std::string_view subject) {
  if (meta.userinfo_endpoint.empty() || access_token.empty()) return json::object();
  auto res = http_.Get(
      meta.userinfo_endpoint,
      {{"Accept", "application/json"}, {"Authorization", "Bearer " + std::string(access_token)}});
  if (!res.ok()) return Unavailable("identity provider UserInfo failed: " + res.status().message());
  if (res->status != 200) {
    return Unavailable("identity provider UserInfo answered HTTP " + std::to_string(res->status));
  }
  MH_ASSIGN_OR_RETURN(json info, JsonBody(*res, "UserInfo response"));
  if (StringMember(info, "sub") != subject) {
    return Unauthenticated("identity provider's UserInfo is about another subject");
  }
  return info;
}

Result<OidcIdentity> OidcClient::Redeem(std::string_view code, std::string_view redirect_uri,
                                        std::string_view code_verifier, std::string_view nonce) {
  MH_ASSIGN_OR_RETURN(OidcMetadata meta, Metadata());
  httpclient::Params form = {{"grant_type", "authorization_code"},
                             {"code", std::string(code)},
                             {"redirect_uri", std::string(redirect_uri)},
                             {"code_verifier", std::string(code_verifier)}};
  httpclient::Headers headers = {{"Accept", "application/json"}};
  if (meta.client_secret_basic) {
    // RFC 6749 2.3.1: both parts form-encoded before base64.
    headers.emplace_back(
        "Authorization",
        "Basic " + crypto::Base64Encode(httpclient::FormEncode(config_.client_id) + ":" +
                                        httpclient::FormEncode(config_.client_secret)));
  } else {
    form.emplace_back("client_id", config_.client_id);
    form.emplace_back("client_secret", config_.client_secret);
  }
  auto res = http_.PostForm(meta.token_endpoint, form, std::move(headers));
  if (!res.ok()) {
    return Unavailable("identity provider token exchange failed: " + res.status().message());
  }
  if (res->status >= 500) {
    return Unavailable("identity provider token endpoint answered HTTP " +
                       std::to_string(res->status));
  }
  json body = json::parse(res->body, nullptr, false);
  if (res->status != 200) {
    std::string error = body.is_object() ? StringMember(body, "error") : std::string();
    return Unauthenticated("identity provider refused the authorization code" +
                           (error.empty() ? std::string() : ": " + error));
  }
  if (!body.is_object()) return Unavailable("identity provider token response is not JSON");
  const std::string id_token = StringMember(body, "id_token");
  if (id_token.empty()) return Unavailable("identity provider token response has no id_token");

  MH_ASSIGN_OR_RETURN(crypto::VerifiedJwt jwt, VerifyIdToken(id_token, meta));
  const json& claims = jwt.claims;
  if (StringMember(claims, "nonce") != nonce || nonce.empty()) {
    return Unauthenticated("identity provider's ID token has the wrong nonce");
  }
  if (auto aud = claims.find("aud"); aud != claims.end() && aud->is_array() && aud->size() > 1 &&
                                     StringMember(claims, "azp") != config_.client_id) {
    return Unauthenticated("identity provider's ID token was issued to another party (azp)");
  }
  OidcIdentity identity;
  identity.issuer = meta.issuer;
  identity.subject = StringMember(claims, "sub");
  if (identity.subject.empty()) return Unauthenticated("identity provider's ID token has no sub");
  // Google puts the email in the ID token; other providers only answer it from UserInfo.
  json profile = claims;
  if (StringMember(claims, "email").empty()) {
    MH_ASSIGN_OR_RETURN(profile,
                        UserInfo(meta, StringMember(body, "access_token"), identity.subject));
  }
  identity.email = StringMember(profile, "email");
  identity.name = StringMember(profile, "name");
  if (identity.email.empty()) {
    return Unauthenticated("identity provider did not share an email address (scope email)");
  }
  auto verified = profile.find("email_verified");
  const bool email_verified = verified != profile.end() &&
                              ((verified->is_boolean() && verified->get<bool>()) ||
                               (verified->is_string() && verified->get<std::string>() == "true"));
  if (!email_verified) {
    return Unauthenticated("identity provider has not verified this email address");
  }
  return identity;
}

}  // namespace milkyhoop::auth
