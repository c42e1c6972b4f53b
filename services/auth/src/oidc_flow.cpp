// AuthServiceImpl: OIDC sign-in (authorization code + PKCE S256). The state, nonce and PKCE
// verifier stay on the server, looked up by the hash of `state`, single use, short-lived.
#include <algorithm>

#include "auth_service_impl.hpp"
#include "email.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::auth {
namespace {

constexpr std::size_t kRandomBytes = 32;

std::string StateHash(std::string_view state) { return HexEncode(crypto::Sha256(state)); }
std::string VerifierAad(std::string_view state_hash) {
  return "auth.oidc_states:" + std::string(state_hash);
}

Status OidcOff() { return NotFound("sign-in with an identity provider is not configured"); }

}  // namespace

Result<v1::OidcStartResponse> AuthServiceImpl::OidcStart(const v1::OidcStartRequest& request) {
  if (!oidc_) return OidcOff();
  const std::string& redirect_uri = request.redirect_uri();
  if (redirect_uri.empty()) return InvalidField("redirect_uri", "is required");
  const auto& allowed = config_.oidc.redirect_uris;
  if (std::find(allowed.begin(), allowed.end(), redirect_uri) == allowed.end()) {
    return InvalidField("redirect_uri", "is not one of the allowed redirect URIs");
  }
  const std::string state = crypto::Base64UrlEncode(RandomBytes(kRandomBytes));
  const std::string nonce = crypto::Base64UrlEncode(RandomBytes(kRandomBytes));
  const std::string verifier = crypto::Base64UrlEncode(RandomBytes(kRandomBytes));
  const std::string challenge = crypto::Base64UrlEncode(crypto::Sha256(verifier));
  MH_ASSIGN_OR_RETURN(std::string url,
                      oidc_->AuthorizationUrl(redirect_uri, state, nonce, challenge));
  const std::string state_hash = StateHash(state);
  MH_ASSIGN_OR_RETURN(std::string sealed_verifier, sealer_.Seal(verifier, VerifierAad(state_hash)));
  const std::int64_t now = clock_.NowUnixMillis();
  const std::int64_t expires =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(config_.oidc.state_ttl).count();
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    // Abandoned sign-ins are swept here, so the table stays small without a scheduler.
    MH_TRY(tx.Exec("DELETE FROM oidc_states WHERE expires_at <= $1", {now}).status());
    return tx
        .Exec(
            "INSERT INTO oidc_states (state_hash, nonce, code_verifier_sealed, redirect_uri, "
            "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {state_hash, nonce, sealed_verifier, redirect_uri, now, expires})
        .status();
  }));
  v1::OidcStartResponse out;
  out.set_authorization_url(std::move(url));
  out.set_state(state);
  return out;
}

Result<UserRow> AuthServiceImpl::AccountForIdentity(sql::Session& tx, const OidcIdentity& identity,
                                                    const AuditContext& audit) {
  const std::int64_t now = clock_.NowUnixMillis();
  MH_ASSIGN_OR_RETURN(sql::Rows linked,
                      tx.Query("SELECT user_id FROM oidc_identities WHERE issuer = $1 AND "
                               "subject = $2",
                               {identity.issuer, identity.subject}));
  if (!linked.empty()) {
    MH_ASSIGN_OR_RETURN(auto user, UserStore::ById(tx, linked.Text(0, 0)));
    if (!user) return Internal("linked account is missing");
    return std::move(*user);
  }
  auto email = NormalizeEmail(identity.email);
  if (!email.ok()) return Unauthenticated("identity provider's email address is not usable here");
  MH_ASSIGN_OR_RETURN(auto user, UserStore::ByEmail(tx, *email));
  if (!user) {
    // First sign-in: an account without a password.
    UserRow fresh;
    fresh.id = NewId("usr_");
    fresh.email = *email;
    auto name = NormalizeName(identity.name);
    fresh.name = name.ok() ? *name : std::string(EmailLocalPart(*email));
    fresh.created_at = now;
    MH_TRY(UserStore::Insert(tx, fresh, now));
    MH_TRY(AppendUserRegistered(tx, clock_, fresh.id, fresh.email, fresh.name));
    AuditContext actor = audit;
    actor.actor_id = fresh.id;
    MH_TRY(AppendAudit(tx, clock_, action::kRegistered, {"user", fresh.id}, actor, true));
    user = std::move(fresh);
  }
  // Linked by the provider's verified email; later sign-ins find it by (issuer, subject).
  MH_TRY(tx.Exec("INSERT INTO oidc_identities (issuer, subject, user_id, email, created_at) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {identity.issuer, identity.subject, user->id, *email, now})
             .status());
  return std::move(*user);
}

Result<v1::AuthResponse> AuthServiceImpl::OidcCallback(const v1::OidcCallbackRequest& request) {
  if (!oidc_) return OidcOff();
  if (request.state().empty()) return InvalidField("state", "is required");
  if (request.code().empty()) return InvalidField("code", "is required");
  const std::string state_hash = StateHash(request.state());
  const std::int64_t now = clock_.NowUnixMillis();
  std::optional<sql::Rows> started;
  // Consumed before anything else: a state is good for one attempt, successful or not.
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(sql::Rows rows,
                        tx.Query("SELECT nonce, code_verifier_sealed, redirect_uri, expires_at "
                                 "FROM oidc_states WHERE state_hash = $1",
                                 {state_hash}));
    if (rows.empty()) return Status::Ok();
    MH_TRY(tx.Exec("DELETE FROM oidc_states WHERE state_hash = $1", {state_hash}).status());
    started = std::move(rows);
    return Status::Ok();
  }));
  if (!started || started->Int(0, 3) <= now) {
    return InvalidField("state", "unknown, already used or expired sign-in; start again");
  }
  MH_ASSIGN_OR_RETURN(std::string verifier,
                      sealer_.Open(started->Text(0, 1), VerifierAad(state_hash)));
  auto identity = oidc_->Redeem(request.code(), started->Text(0, 2), verifier, started->Text(0, 0));
  AuditContext audit{"", request.ip(), request.user_agent(), request.request_id()};
  if (!identity.ok()) {
    MH_LOG_WARN("oidc sign-in refused", {"reason", identity.status().message()});
    return identity.status();
  }
  v1::AuthResponse response;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(UserRow user, AccountForIdentity(tx, *identity, audit));
    MH_ASSIGN_OR_RETURN(response, StartSession(tx, user, request.ip(), request.user_agent()));
    AuditContext actor = audit;
    actor.actor_id = user.id;
    return AppendAudit(tx, clock_, action::kOidcSignedIn, {"user", user.id}, actor, true);
  }));
  return response;
}

}  // namespace milkyhoop::auth
