#pragma once
// The relying-party side of OpenID Connect (authorization code flow with PKCE) against one
// provider: discovery (cached), the authorization URL, the code exchange (client_secret_basic
// or client_secret_post, as the provider's discovery says) and ID token verification against
// the provider's JWKS (cached, refetched when a token names an unknown kid, at most every
// jwks_min_refresh). State, nonce and verifier storage are the caller's.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "milkyhoop/auth/auth_config.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_verifier.hpp"
#include "milkyhoop/httpclient/http_client.hpp"

namespace milkyhoop::auth {

struct OidcMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;    // optional
  bool client_secret_basic = true;  // else client_secret_post
};

struct OidcIdentity {
  std::string issuer;
  std::string subject;
  std::string email;  // as the provider gave it (verified)
  std::string name;
};

// True for http URLs whose host is a loopback address: allowed for tests and local providers.
bool IsLoopbackHttp(std::string_view url);

class OidcClient {
 public:
  // kInvalidArgument for a config that cannot work (no client id, an http issuer that is not
  // loopback). Nothing is fetched yet.
  static Result<std::unique_ptr<OidcClient>> Create(const OidcConfig& config, const Clock& clock);

  Result<std::string> AuthorizationUrl(std::string_view redirect_uri, std::string_view state,
                                       std::string_view nonce, std::string_view code_challenge);

  // Exchanges the code and verifies the ID token: signature, iss, aud (= client id, azp when
  // several audiences), exp/iat, nonce, email present and email_verified true.
  // kUnauthenticated when the provider refuses the code or the token does not verify,
  // kUnavailable when the provider cannot be reached or answers nonsense.
  Result<OidcIdentity> Redeem(std::string_view code, std::string_view redirect_uri,
                              std::string_view code_verifier, std::string_view nonce);

 private:
  OidcClient(OidcConfig config, const Clock& clock, httpclient::HttpClient http)
      : config_(std::move(config)), clock_(clock), http_(std::move(http)) {}

  Result<OidcMetadata> Metadata();
  Result<crypto::VerifiedJwt> VerifyIdToken(std::string_view id_token, const OidcMetadata& meta);
  Status FetchJwks(const OidcMetadata& meta);
  // The UserInfo response (OIDC Core 5.3) for providers that leave the email out of the ID
  // token; its `sub` must be the ID token's.
  Result<nlohmann::json> UserInfo(const OidcMetadata& meta, std::string_view access_token,
                                  std::string_view subject);

  const OidcConfig config_;
  const Clock& clock_;
  const httpclient::HttpClient http_;
  std::mutex mu_;
  std::optional<OidcMetadata> metadata_;
  std::chrono::steady_clock::time_point metadata_at_;
  std::optional<crypto::JwtVerifier> verifier_;
  std::chrono::steady_clock::time_point jwks_at_;
};

}  // namespace milkyhoop::auth
