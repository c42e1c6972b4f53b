#include "milkyhoop/gateway/token_authenticator.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "verified_tokens.hpp"

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

// The credential a request presents, read from its headers without judging it.
struct Credential {
  enum Kind { kNone, kAccessToken, kApiKey } kind = kNone;
  std::string_view value;
};

Result<Credential> CredentialOf(const http::Request& request) {
  const std::string_view authorization = Trim(request.Header("authorization"));
  const std::string_view api_key = Trim(request.Header("x-api-key"));
  if (authorization.empty() && api_key.empty()) return Credential{};
  if (!authorization.empty() && !api_key.empty()) {
    return Unauthenticated("send either Authorization or X-API-Key, not both");
  }
  std::string_view value = api_key;
  if (!authorization.empty()) {
    if (!StartsWithIgnoreCase(authorization, "bearer ")) {
      return Unauthenticated("unsupported authorization scheme: use 'Bearer <token>'");
    }
    value = Trim(authorization.substr(7));
    if (value.empty()) return Unauthenticated("empty bearer token");
  }
  if (value.starts_with(kApiKeyPrefix)) return Credential{Credential::kApiKey, value};
  if (!api_key.empty()) return Unauthenticated("X-API-Key must hold an API key (mh_...)");
  return Credential{Credential::kAccessToken, value};
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

double UnixSeconds(Clock::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// A NumericDate claim the verifier has already checked; -inf if it is somehow not a number, so
// a window built on it is empty rather than open.
double NumberClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return -std::numeric_limits<double>::infinity();
  return it->get<double>();
}

}  // namespace

TokenAuthenticator::TokenAuthenticator(TokenAuthenticatorOptions options,
                                       VerificationKeySource keys, ApiKeyVerifier api_keys,
                                       crypto::JwtVerifier verifier, const Clock& clock)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      api_keys_(std::move(api_keys)),
      verifier_(std::move(verifier)),
      clock_(clock),
      verified_(std::make_unique<VerifiedTokens>()) {}

TokenAuthenticator::~TokenAuthenticator() = default;

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
      std::move(options), std::move(keys), std::move(api_keys), std::move(verifier), clock));
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
  // Taken before verifying: if the keys change meanwhile, what is verified now is never found.
  const std::uint64_t generation = verifier_.KeyGeneration();
  if (auto known = verified_->Find(token, generation, UnixSeconds(clock_.Now()))) {
    return std::move(*known);
  }
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
  // The window the verifier's time checks (exp, nbf, iat, with the skew) will keep passing in.
  const double skew = static_cast<double>(options_.clock_skew.count());
  VerifiedTokens::Entry entry{.key_generation = generation,
                              .valid_from = -std::numeric_limits<double>::infinity(),
                              .valid_until = NumberClaim(claims, "exp") + skew,
                              .principal = principal};
  for (const char* not_before : {"nbf", "iat"}) {
    if (claims.contains(not_before)) {
      entry.valid_from = std::max(entry.valid_from, NumberClaim(claims, not_before) - skew);
    }
  }
  verified_->Add(token, std::move(entry));
  return principal;
}

Result<std::optional<http::Principal>> TokenAuthenticator::Authenticate(
    const http::Request& request) {
  MH_ASSIGN_OR_RETURN(Credential credential, CredentialOf(request));
  switch (credential.kind) {
    case Credential::kNone:
      return std::optional<http::Principal>();
    case Credential::kApiKey: {
      if (!api_keys_) return Unauthenticated("API keys are not accepted by this server");
      MH_ASSIGN_OR_RETURN(http::Principal principal, api_keys_(credential.value));
      return std::optional(std::move(principal));
    }
    case Credential::kAccessToken:
      break;
  }
  MH_ASSIGN_OR_RETURN(http::Principal principal, VerifyAccessToken(credential.value));
  return std::optional(std::move(principal));
}

bool TokenAuthenticator::AnswersFromMemory(const http::Request& request) const {
  auto credential = CredentialOf(request);
  if (!credential.ok() || credential->kind == Credential::kNone) return true;  // refused or nobody
  // API keys are looked up by the organisation service; a new token may need the keys fetched.
  return credential->kind == Credential::kAccessToken &&
         verified_->Find(credential->value, verifier_.KeyGeneration(), UnixSeconds(clock_.Now()))
             .has_value();
}

VerificationKeySource JwksKeySource(auth::AuthService& auth) {
  return [&auth]() -> Result<std::vector<crypto::JwtKey>> {
    MH_ASSIGN_OR_RETURN(auth::v1::GetJwksResponse jwks, auth.GetJwks({}));
    MH_ASSIGN_OR_RETURN(crypto::JwksKeys keys, crypto::ParseJwks(jwks.jwks_json()));
    return std::move(keys.keys);
  };
}

}  // namespace milkyhoop::gateway
