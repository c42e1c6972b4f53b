#include "auth_service_impl.hpp"

#include <algorithm>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/jwt_signer.hpp"

namespace milkyhoop::auth {

Result<std::string> NormalizeName(std::string_view name, std::string_view field) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!name.empty() && space(name.front())) name.remove_prefix(1);
  while (!name.empty() && space(name.back())) name.remove_suffix(1);
  if (name.empty()) return InvalidField(std::string(field), "is required");
  const auto chars = std::count_if(name.begin(), name.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (chars > 100) return InvalidField(std::string(field), "must be at most 100 characters");
  if (std::any_of(name.begin(), name.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7F; })) {
    return InvalidField(std::string(field), "must not contain control characters");
  }
  return std::string(name);
}

Status ValidateAuthConfig(const AuthConfig& c) {
  auto algorithm = crypto::ParseJwtAlgorithm(c.jwt_algorithm);
  if (!algorithm || *algorithm == crypto::JwtAlgorithm::kES256) {
    return InvalidField("auth.jwt_algorithm", "must be EdDSA, RS256 or HS256");
  }
  if (c.issuer.empty()) return InvalidField("auth.issuer", "must not be empty");
  if (c.audience.empty()) return InvalidField("auth.audience", "must not be empty");
  // Short lifetimes are allowed (tests watch a token expire); long ones are not: an access
  // token cannot be revoked before it expires.
  if (c.access_token_ttl < std::chrono::seconds(1) || c.access_token_ttl > std::chrono::hours(24)) {
    return InvalidField("auth.access_token_ttl_s", "must be between 1 and 86400");
  }
  if (c.session_idle_ttl <= c.access_token_ttl || c.session_max_ttl < c.session_idle_ttl) {
    return InvalidField("auth.session_idle_ttl_s",
                        "must exceed the access token TTL and not exceed auth.session_max_ttl_s");
  }
  if (c.lockout_threshold < 1 || c.lockout_delays.empty()) {
    return InvalidField("auth.lockout_threshold", "needs a threshold >= 1 and at least one delay");
  }
  for (const std::string& uri : c.oidc.redirect_uris) {
    if (uri.empty()) return InvalidField("oidc.redirect_uris", "must not contain empty entries");
  }
  if (c.oidc.enabled() && c.oidc.redirect_uris.empty()) {
    return InvalidField("oidc.redirect_uris", "must list at least one URI when oidc.issuer is set");
  }
  return Status::Ok();
}

AuthServiceImpl::AuthServiceImpl(const AuthDependencies& deps, const AuthConfig& config,
                                 std::unique_ptr<SecretSealer> sealer,
                                 crypto::PasswordHasher hasher, std::unique_ptr<SigningKeys> keys,
                                 std::unique_ptr<OidcClient> oidc)
    : db_(*deps.db),
      sealer_owned_(std::move(sealer)),
      sealer_(*sealer_owned_),
      clock_(*deps.clock),
      outbox_notify_(deps.outbox_notify),
      config_(config),
      hasher_(std::move(hasher)),
      keys_(std::move(keys)),
      oidc_(std::move(oidc)),
      sessions_(*deps.clock, config.session_idle_ttl, config.session_max_ttl),
      failures_(LockoutPolicy{config.lockout_threshold, config.lockout_delays}, *deps.clock) {}

Result<std::unique_ptr<AuthServiceImpl>> AuthServiceImpl::Create(const AuthDependencies& deps,
                                                                 const AuthConfig& config) {
  if (!deps.db || !deps.security || !deps.clock) {
    return InvalidArgument("auth service needs a database, the security service and a clock");
  }
  MH_TRY(ValidateAuthConfig(config));
  MH_ASSIGN_OR_RETURN(crypto::PasswordHasher hasher,
                      crypto::PasswordHasher::Create(config.password_hashing));
  SigningKeyOptions key_options;
  key_options.algorithm = *crypto::ParseJwtAlgorithm(config.jwt_algorithm);
  // A retired key verifies until its last token expired, with room for verifiers' clock skew.
  key_options.publish_after_retire = config.access_token_ttl + std::chrono::minutes(5);
  key_options.reload_interval = config.key_reload_interval;
  auto sealer = std::make_unique<SecretSealer>(*deps.security);
  MH_ASSIGN_OR_RETURN(auto keys, SigningKeys::Open(*deps.db, *sealer, *deps.clock, key_options));
  std::unique_ptr<OidcClient> oidc;
  if (config.oidc.enabled()) {
    MH_ASSIGN_OR_RETURN(oidc, OidcClient::Create(config.oidc, *deps.clock));
  }
  return std::unique_ptr<AuthServiceImpl>(new AuthServiceImpl(
      deps, config, std::move(sealer), std::move(hasher), std::move(keys), std::move(oidc)));
}

Status AuthServiceImpl::Write(const std::function<Status(sql::Session&)>& fn) {
  Status s = db_.Transaction(fn);
  if (s.ok() && outbox_notify_) outbox_notify_();
  return s;
}

Result<std::optional<UserRow>> AuthServiceImpl::ReadUser(std::string_view user_id) {
  std::optional<UserRow> user;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(user, UserStore::ById(s, user_id));
    return Status::Ok();
  }));
  return user;
}

Result<UserRow> AuthServiceImpl::RequireUser(std::string_view user_id) {
  if (user_id.empty()) return InvalidField("user_id", "is required");
  MH_ASSIGN_OR_RETURN(std::optional<UserRow> user, ReadUser(user_id));
  if (!user) return NotFound("user not found");
  return std::move(*user);
}

Result<v1::AuthResponse> AuthServiceImpl::TokenResponse(const UserRow& user,
                                                        std::string_view session_id,
                                                        std::string refresh_token) {
  nlohmann::json claims = nlohmann::json::object();
  crypto::StandardClaims standard;
  standard.issuer = config_.issuer;
  standard.subject = user.id;
  standard.audience = {config_.audience};
  standard.issued_at = clock_.Now();
  standard.time_to_live = config_.access_token_ttl;
  crypto::SetStandardClaims(claims, standard);
  claims["sid"] = std::string(session_id);
  MH_ASSIGN_OR_RETURN(std::string access_token, keys_->Sign(claims));
  v1::AuthResponse out;
  *out.mutable_user() = user.ToProto();
  out.set_access_token(std::move(access_token));
  out.set_refresh_token(std::move(refresh_token));
  out.set_token_type("Bearer");
  out.set_expires_in(config_.access_token_ttl.count());
  out.set_session_id(std::string(session_id));
  return out;
}

Result<v1::AuthResponse> AuthServiceImpl::StartSession(sql::Session& tx, const UserRow& user,
                                                       std::string_view ip,
                                                       std::string_view user_agent) {
  MH_ASSIGN_OR_RETURN(NewSession session, sessions_.Create(tx, user.id, ip, user_agent));
  return TokenResponse(user, session.session_id, std::move(session.refresh_token));
}

Result<v1::GetJwksResponse> AuthServiceImpl::GetJwks(const v1::GetJwksRequest&) {
  MH_ASSIGN_OR_RETURN(std::string jwks, keys_->PublicJwks());
  v1::GetJwksResponse out;
  out.set_jwks_json(std::move(jwks));
  return out;
}

Result<v1::RotateSigningKeyResponse> AuthServiceImpl::RotateSigningKey(
    const v1::RotateSigningKeyRequest&) {
  MH_ASSIGN_OR_RETURN(std::string kid, keys_->Rotate());
  MH_LOG_INFO("auth signing key rotated", {"kid", kid});
  v1::RotateSigningKeyResponse out;
  out.set_kid(std::move(kid));
  return out;
}

// ---- factory -----------------------------------------------------------------------------

Status MigrateAuthDatabase(sql::Database& db) { return sql::Migrate(db, "auth", Migrations()); }

Result<std::unique_ptr<AuthService>> CreateAuthService(const AuthDependencies& deps,
                                                       const AuthConfig& config) {
  MH_ASSIGN_OR_RETURN(auto impl, AuthServiceImpl::Create(deps, config));
  return std::unique_ptr<AuthService>(std::move(impl));
}

Result<VerificationKeySource> LocalVerificationKeys(AuthService& service) {
  auto* impl = dynamic_cast<AuthServiceImpl*>(&service);
  if (!impl) {
    return FailedPrecondition(
        "local verification keys need the auth service in this process (HS256 is for "
        "single-process installs; use EdDSA or RS256 with a remote auth service)");
  }
  return VerificationKeySource([impl] { return impl->VerificationKeys(); });
}

}  // namespace milkyhoop::auth
