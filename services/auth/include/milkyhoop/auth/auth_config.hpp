#pragma once
// The auth module's configuration. The composition root fills it from the config keys listed
// beside each field (environment: MILKYHOOP_ + key upper-cased, dots as '_'); the classes of the
// service take plain values from here and are tested without the config loader.
// Secrets (oidc.client_secret) come from the environment or a *_file, never a config file.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/password_hasher.hpp"

namespace milkyhoop::auth {

struct OidcConfig {
  // oidc.issuer: the provider's issuer URL, e.g. "https://accounts.google.com". Empty turns
  // OIDC sign-in off. https only, except for loopback hosts (tests, a local provider).
  std::string issuer;
  std::string client_id;      // oidc.client_id
  std::string client_secret;  // MILKYHOOP_OIDC_CLIENT_SECRET or oidc.client_secret_file
  // oidc.redirect_uris: where the provider may send the browser back (exact match).
  std::vector<std::string> redirect_uris;
  // oidc.frontend_redirect_url: when set, the HTTP callback answers 302 to this URL with the
  // tokens in the fragment instead of a JSON body.
  std::string frontend_redirect_url;
  // oidc.scopes
  std::string scopes = "openid email profile";
  // How long a started sign-in (state, nonce, PKCE verifier) may be completed.
  std::chrono::seconds state_ttl{600};
  // The provider's JWKS is refetched on an unknown kid at most this often.
  std::chrono::seconds jwks_min_refresh{60};
  // Discovery is refetched after this long.
  std::chrono::seconds discovery_ttl{3600};
  // oidc.http_timeout_ms: each call to the provider.
  std::chrono::milliseconds http_timeout{10'000};
  // oidc.ca_file: an extra trust anchor for the provider's TLS certificate (private CAs, tests).
  std::string ca_file;

  bool enabled() const { return !issuer.empty(); }
};

struct AuthConfig {
  std::string issuer = "milkyhoop";        // auth.issuer: `iss` of access tokens
  std::string audience = "milkyhoop-api";  // auth.audience: `aud` of access tokens
  // auth.jwt_algorithm: "EdDSA" (default), "RS256", or "HS256" (single-process installs only:
  // the key is symmetric and never published, so only this process can verify).
  std::string jwt_algorithm = "EdDSA";
  std::chrono::seconds access_token_ttl{900};  // auth.access_token_ttl_s
  // auth.session_idle_ttl_s: a session not refreshed for this long ends.
  std::chrono::seconds session_idle_ttl{std::chrono::hours(24 * 30)};
  // auth.session_max_ttl_s: no session lives longer than this, refreshed or not.
  std::chrono::seconds session_max_ttl{std::chrono::hours(24 * 90)};
  // Lockout: this many consecutive failures lock the account for the next delay of the list;
  // the last delay repeats. A successful login resets both.
  int lockout_threshold = 5;
  std::vector<std::chrono::seconds> lockout_delays = {
      std::chrono::minutes(5), std::chrono::minutes(15), std::chrono::minutes(30),
      std::chrono::minutes(60)};
  // auth.totp_issuer: the name authenticator apps show.
  std::string totp_issuer = "MilkyHoop";
  // Signing keys and session state are re-read from the database this often, so replicas
  // pick up a rotation made by another.
  std::chrono::seconds key_reload_interval{30};
  crypto::Argon2idParams password_hashing;
  OidcConfig oidc;
};

// Checks values and combinations; errors name the config key.
Status ValidateAuthConfig(const AuthConfig& config);

}  // namespace milkyhoop::auth
