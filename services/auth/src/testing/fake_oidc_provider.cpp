#include "testing/fake_oidc_provider.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"
#include "milkyhoop/crypto/jwt_signer.hpp"
#include "testing/test_server.hpp"

namespace milkyhoop::auth::testing {
namespace {

using nlohmann::json;

std::string Decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    auto eq = pair.find('=');
    out[Decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1));
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
  }
  return out;
}

crypto::JwtKey NewKey(const std::string& kid) {
  auto key = crypto::JwtKey::GenerateRsa(kid, 2048);
  if (!key.ok()) throw std::runtime_error(key.status().ToString());
  return *key;
}

}  // namespace

FakeOidcProvider::FakeOidcProvider(const Clock& clock) : clock_(clock), key_(NewKey("idp-key-1")) {
  server_ = std::make_unique<httpclient::testing::TestServer>(
      [this](const httpclient::testing::TestRequest& req, httpclient::testing::TestResponse& res) {
        const std::string target(req.target());
        res.set(boost::beast::http::field::content_type, "application/json");
        if (target == "/.well-known/openid-configuration") {
          res.body() = json{{"issuer", issuer()},
                            {"authorization_endpoint", issuer() + "/auth"},
                            {"token_endpoint", issuer() + "/token"},
                            {"userinfo_endpoint", issuer() + "/me"},
                            {"jwks_uri", issuer() + "/jwks"},
                            {"response_types_supported", {"code"}},
                            {"code_challenge_methods_supported", {"S256"}},
                            {"token_endpoint_auth_methods_supported",
                             {"client_secret_basic", "client_secret_post"}}}
                           .dump();
        } else if (target == "/jwks") {
          ++jwks_fetches;
          std::lock_guard lock(mu_);
          res.body() = crypto::ToJwks({key_}).dump();
        } else if (target == "/token" && req.method() == boost::beast::http::verb::post) {
          ++token_requests;
          int status = 200;
          res.body() = HandleToken(std::string(req[boost::beast::http::field::authorization]),
                                   req.body(), &status);
          res.result(static_cast<unsigned>(status));
        } else if (target == "/me") {
          std::string auth(req[boost::beast::http::field::authorization]);
          std::lock_guard lock(mu_);
          auto it = access_tokens_.find(auth.substr(auth.find(' ') + 1));
          if (it == access_tokens_.end()) {
            res.result(401);
            res.body() = "{}";
            return;
          }
          res.body() = json{{"sub", it->second.subject},
                            {"email", it->second.email},
                            {"email_verified", it->second.email_verified},
                            {"name", it->second.name}}
                           .dump();
        } else {
          res.result(404);
          res.body() = "{}";
        }
      });
}

FakeOidcProvider::~FakeOidcProvider() = default;

std::string FakeOidcProvider::issuer() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void FakeOidcProvider::RotateKey() {
  std::lock_guard lock(mu_);
  key_ = NewKey("idp-key-" + std::to_string(++next_code_));
}

std::string FakeOidcProvider::Authorize(const std::string& url, const ProviderIdentity& identity) {
  if (url.rfind(issuer() + "/auth?", 0) != 0) return "";
  auto q = ParseForm(std::string_view(url).substr(url.find('?') + 1));
  if (q["response_type"] != "code" || q["client_id"] != kClientId ||
      q["scope"] != "openid email profile" || q["code_challenge_method"] != "S256" ||
      q["code_challenge"].empty() || q["state"].empty() || q["nonce"].empty()) {
    return "";
  }
  std::lock_guard lock(mu_);
  const std::string code = "code-" + std::to_string(++next_code_);
  grants_[code] = {q["redirect_uri"], q["code_challenge"], q["nonce"], identity};
  return code;
}

std::string FakeOidcProvider::HandleToken(const std::string& authorization, const std::string& body,
                                          int* status) {
  const std::string expected_auth =
      "Basic " + crypto::Base64Encode(std::string(kClientId) + ":" + kClientSecret);
  auto form = ParseForm(body);
  std::lock_guard lock(mu_);
  auto refuse = [&](const char* error) {
    *status = 400;
    return json{{"error", error}}.dump();
  };
  if (authorization != expected_auth) return refuse("invalid_client");
  if (form["grant_type"] != "authorization_code") return refuse("unsupported_grant_type");
  auto it = grants_.find(form["code"]);
  if (it == grants_.end()) return refuse("invalid_grant");
  Grant grant = it->second;
  grants_.erase(it);  // single use
  if (form["redirect_uri"] != grant.redirect_uri) return refuse("invalid_grant");
  if (crypto::Base64UrlEncode(crypto::Sha256(form["code_verifier"])) != grant.code_challenge) {
    return refuse("invalid_grant");
  }
  json claims = json::object();
  crypto::StandardClaims standard;
  standard.issuer = quirks.issuer.empty() ? issuer() : quirks.issuer;
  standard.subject = grant.identity.subject;
  standard.audience = {quirks.audience.empty() ? kClientId : quirks.audience};
  standard.issued_at = clock_.Now();
  standard.time_to_live = std::chrono::minutes(5);
  crypto::SetStandardClaims(claims, standard);
  claims["nonce"] = quirks.nonce.empty() ? grant.nonce : quirks.nonce;
  if (!quirks.email_only_in_userinfo) {
    claims["email"] = grant.identity.email;
    claims["email_verified"] = grant.identity.email_verified;
    claims["name"] = grant.identity.name;
  }
  if (quirks.sign_with_unpublished_key && !unpublished_) unpublished_ = NewKey("idp-unpublished");
  auto signer = crypto::JwtSigner::Create(quirks.sign_with_unpublished_key ? *unpublished_ : key_);
  const std::string access_token = "at-" + form["code"];
  access_tokens_[access_token] = grant.identity;
  return json{{"access_token", access_token},
              {"token_type", "Bearer"},
              {"expires_in", 3600},
              {"id_token", *signer->Sign(claims)}}
      .dump();
}

}  // namespace milkyhoop::auth::testing
