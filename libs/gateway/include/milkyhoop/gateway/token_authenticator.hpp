#pragma once
// The gateway's Authenticator: who is calling, from the request's credentials.
//   Authorization: Bearer <JWT>        a user's access token, verified here (no call per
//                                      request) with the auth service's public keys
//   Authorization: Bearer mh_...  or   an API key, handed to the injected ApiKeyVerifier (the
//   X-API-Key: mh_...                  organisation service knows keys)
// No credentials → nullopt (public routes go on); bad ones → kUnauthenticated with the reason.
//
// Keys are fetched once (lazily, or by Prime()) and cached; a token naming an unknown kid (a
// rotation) triggers a refetch, at most once per min_key_refresh, so forged kids cannot turn
// requests into key fetches. Algorithms are pinned: a token whose header names another
// algorithm is refused before any key is looked at ("none" included).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/crypto/jwt_verifier.hpp"
#include "milkyhoop/gateway/auth_middleware.hpp"
#include "milkyhoop/http/principal.hpp"

namespace milkyhoop::gateway {

// The keys that verify access tokens.
using VerificationKeySource = std::function<Result<std::vector<crypto::JwtKey>>()>;
// Verifies an API key secret ("mh_..."); kUnauthenticated when it is not a valid key.
using ApiKeyVerifier = std::function<Result<http::Principal>(std::string_view secret)>;

struct TokenAuthenticatorOptions {
  std::string issuer = "milkyhoop";        // auth.issuer
  std::string audience = "milkyhoop-api";  // auth.audience
  // Accepted `alg` values: auth.jwt_algorithm (list the previous one too for the lifetime of an
  // access token after changing it).
  std::vector<std::string> algorithms = {"EdDSA"};
  std::chrono::seconds clock_skew{30};
  std::chrono::seconds min_key_refresh{30};
};

class VerifiedTokens;

class TokenAuthenticator final : public Authenticator {
 public:
  ~TokenAuthenticator() override;
  // kInvalidArgument for an unknown algorithm, an empty issuer/audience, or a skew over 300 s.
  // `api_keys` may be empty: API keys are then refused. `clock` must outlive this.
  static Result<std::unique_ptr<TokenAuthenticator>> Create(TokenAuthenticatorOptions options,
                                                            VerificationKeySource keys,
                                                            ApiKeyVerifier api_keys,
                                                            const Clock& clock);

  Result<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
  // No credentials, bad ones, or an access token verified before and still valid.
  bool AnswersFromMemory(const http::Request& request) const override;

  // Fetches the keys now (at start-up, so the first request does not wait).
  Status Prime();
  // The principal of an access token (Authorization value without "Bearer ").
  Result<http::Principal> VerifyAccessToken(std::string_view token);

 private:
  TokenAuthenticator(TokenAuthenticatorOptions options, VerificationKeySource keys,
                     ApiKeyVerifier api_keys, crypto::JwtVerifier verifier, const Clock& clock);
  // Refetches unless the last fetch is younger than min_key_refresh (or `force`).
  Status RefreshKeys(bool force);

  const TokenAuthenticatorOptions options_;
  const VerificationKeySource keys_;
  const ApiKeyVerifier api_keys_;
  crypto::JwtVerifier verifier_;  // thread-safe; keys replaced in place
  const Clock& clock_;
  std::unique_ptr<VerifiedTokens> verified_;
  std::mutex refresh_mu_;  // one key fetch at a time; guards last_fetch_
  std::atomic<bool> loaded_{false};
  std::chrono::steady_clock::time_point last_fetch_;
};

// Public keys from AuthService::GetJwks: works with the implementation and the gRPC client.
VerificationKeySource JwksKeySource(auth::AuthService& auth);

}  // namespace milkyhoop::gateway
