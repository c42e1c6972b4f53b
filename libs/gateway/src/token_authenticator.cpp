#include "milkyhoop/gateway/token_authenticator.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
constexpr std::string_view kApiKeyPrefix = "mh_";
constexpr std::size_t kMaxTokenBytes = 8 * 1024;

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct TokenHeader {
  std::string alg;
  std::string kid;
};

// The protected header, read before verification only to pick the key and refuse unpinned
// algorithms early. Nothing in it is trusted beyond that.
Result<TokenHeader> ReadHeader(std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || std::count(token.begin(), token.end(), '.') != 2) {
    return Unauthenticated("malformed access token");
  }
  auto text = crypto::Base64UrlDecode(token.substr(0, dot));
  if (!text.ok()) return Unauthenticated("malformed access token header");
  json header = json::parse(*text, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string()) {
    return Unauthenticated("malformed access token header");
  }
  TokenHeader out;
  out.alg = header["alg"].get<std::string>();
  if (auto kid = header.find("kid"); kid != header.end() && kid->is_string()) {
    out.kid = kid->get<std::string>();
  }
  return out;
}

}  // namespace

TokenAuthenticator::TokenAuthenticator(TokenAuthenticatorOptions options,
                                       VerificationKeySource keys, ApiKeyVerifier api_keys,
                                       crypto::JwtVerifier verifier)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      api_keys_(std::move(api_keys)),
      verifier_(std::move(verifier)) {}

Result<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Create(
    TokenAuthenticatorOptions options, VerificationKeySource keys, ApiKeyVerifier api_keys,
    const Clock& clock) {
  if (options.algorithms.empty()) {
    return InvalidField("auth.jwt_algorithm", "at least one algorithm must be accepted");
  }
  for (const std::string& alg : options.algorithms) {
    if (!crypto::ParseJwtAlgorithm(alg)) {
      return InvalidField("auth.jwt_algorithm", "unknown algorithm '" + alg + "'");
    }
  }
  if (!keys) return InvalidArgument("token authenticator needs a key source");
  crypto::JwtVerifierOptions verifier_options;
  verifier_options.issuer = options.issuer;
  verifier_options.audience = options.audience;
  verifier_options.clock_skew = options.clock_skew;
  verifier_options.max_token_bytes = kMaxTokenBytes;
  MH_ASSIGN_OR_RETURN(crypto::JwtVerifier verifier,
                      crypto::JwtVerifier::Create(clock, verifier_options));
  return std::unique_ptr<TokenAuthenticator>(new TokenAuthenticator(
      std::move(options), std::move(keys), std::move(api_keys), std::move(verifier)));
}

Status TokenAuthenticator::Prime() {
  std::lock_guard lock(refresh_mu_);
  return RefreshKeys(/*force=*/true);
}

Status TokenAuthenticator::RefreshKeys(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && last_fetch_ != std::chrono::steady_clock::time_point() &&
      now - last_fetch_ < options_.min_key_refresh) {
    return loaded_.load(std::memory_order_relaxed)
               ? Status::Ok()
               : Unavailable("cannot load the keys that verify access tokens");
  }
  last_fetch_ = now;  // a failed fetch also waits: a down auth service is not hammered
  auto keys = keys_();
  if (!keys.ok()) {
    MH_LOG_WARN("access token keys fetch failed", {"error", keys.status().message()});
    return Unavailable("cannot load the keys that verify access tokens");
  }
  std::vector<crypto::JwtKey> pinned;
  for (const crypto::JwtKey& key : *keys) {
    const std::string_view alg = crypto::JwtAlgorithmName(key.algorithm());
    if (std::find(options_.algorithms.begin(), options_.algorithms.end(), alg) !=
        options_.algorithms.end()) {
      pinned.push_back(key);
    }
  }
  MH_TRY(verifier_.SetKeys(pinned));
  loaded_.store(true, std::memory_order_release);
  return Status::Ok();
}

Result<http::Principal> TokenAuthenticator::VerifyAccessToken(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return Unauthenticated("access token is too large");
  MH_ASSIGN_OR_RETURN(TokenHeader header, ReadHeader(token));
  if (std::find(options_.algorithms.begin(), options_.algorithms.end(), header.alg) ==
      options_.algorithms.end()) {
    return Unauthenticated("access token algorithm '" + header.alg + "' is not accepted");
  }
  if (header.kid.empty()) return Unauthenticated("access token has no key id (kid)");
  if (!loaded_.load(std::memory_order_acquire)) {
    std::lock_guard lock(refresh_mu_);
    if (!loaded_.load(std::memory_order_relaxed)) MH_TRY(RefreshKeys(/*force=*/false));
  }
  // The hot path takes no lock of ours: the verifier is safe to share.
  auto verified = verifier_.Verify(token);
  if (!verified.ok()) {
    const auto kids = verifier_.Kids();
    if (std::find(kids.begin(), kids.end(), header.kid) == kids.end()) {
      // A key we have not seen: a rotation since the last fetch, or a forged kid.
      std::lock_guard lock(refresh_mu_);
      if (RefreshKeys(/*force=*/false).ok()) verified = verifier_.Verify(token);
    }
  }
  if (!verified.ok()) {
    return Unauthenticated("invalid access token: " + verified.status().message());
  }
  const json& claims = verified->claims;
  http::Principal principal;
  principal.kind = http::Principal::Kind::kUser;
  if (auto sub = claims.find("sub"); sub != claims.end() && sub->is_string()) {
    principal.subject_id = sub->get<std::string>();
  }
  if (auto sid = claims.find("sid"); sid != claims.end() && sid->is_string()) {
    principal.session_id = sid->get<std::string>();
  }
  if (principal.subject_id.empty() || principal.session_id.empty()) {
    return Unauthenticated("invalid access token: no subject or session");
  }
  return principal;
}

Result<std::optional<http::Principal>> TokenAuthenticator::Authenticate(
    const http::Request& request) {
  const std::string_view authorization = Trim(request.Header("authorization"));
  const std::string_view api_key = Trim(request.Header("x-api-key"));
  if (authorization.empty() && api_key.empty()) return std::optional<http::Principal>();
  if (!authorization.empty() && !api_key.empty()) {
    return Unauthenticated("send either Authorization or X-API-Key, not both");
  }
  std::string_view credential = api_key;
  if (!authorization.empty()) {
    if (!StartsWithIgnoreCase(authorization, "bearer ")) {
      return Unauthenticated("unsupported authorization scheme: use 'Bearer <token>'");
    }
    credential = Trim(authorization.substr(7));
    if (credential.empty()) return Unauthenticated("empty bearer token");
  }
  if (credential.starts_with(kApiKeyPrefix)) {
    if (!api_keys_) return Unauthenticated("API keys are not accepted by this server");
    MH_ASSIGN_OR_RETURN(http::Principal principal, api_keys_(credential));
    return std::optional(std::move(principal));
  }
  if (!api_key.empty()) return Unauthenticated("X-API-Key must hold an API key (mh_...)");
  MH_ASSIGN_OR_RETURN(http::Principal principal, VerifyAccessToken(credential));
  return std::optional(std::move(principal));
}

VerificationKeySource JwksKeySource(auth::AuthService& auth) {
  return [&auth]() -> Result<std::vector<crypto::JwtKey>> {
    MH_ASSIGN_OR_RETURN(auth::v1::GetJwksResponse jwks, auth.GetJwks({}));
    MH_ASSIGN_OR_RETURN(crypto::JwksKeys keys, crypto::ParseJwks(jwks.jwks_json()));
    return std::move(keys.keys);
  };
}

}  // namespace milkyhoop::gateway
