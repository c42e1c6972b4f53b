// AuthServiceImpl: register, login, refresh, logout, users and sessions.
#include "auth_service_impl.hpp"
#include "email.hpp"
#include "milkyhoop/core/ids.hpp"
#include "password_policy.hpp"

namespace milkyhoop::auth {
namespace {

template <typename Request>
AuditContext ContextOf(const Request& r, std::string actor = {}) {
  return {std::move(actor), r.ip(), r.user_agent(), r.request_id()};
}

// Folds the field errors of several checks into one kInvalidArgument.
void Collect(Status& all, const Status& one) {
  if (one.ok()) return;
  if (all.ok()) all = Status(StatusCode::kInvalidArgument, "invalid request");
  for (const FieldError& e : one.field_errors()) all.WithField(e.field, e.message);
}

bool IsTotpCodeShaped(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<v1::AuthResponse> AuthServiceImpl::Register(const v1::RegisterRequest& request) {
  Status invalid;
  auto email = NormalizeEmail(request.email());
  Collect(invalid, email.status());
  auto name = NormalizeName(request.name());
  Collect(invalid, name.status());
  if (email.ok()) {
    Collect(invalid, CheckPasswordPolicy(request.password(), *email));
  } else if (request.password().empty()) {
    Collect(invalid, InvalidField("password", "is required"));
  }
  if (!invalid.ok()) {
    if (invalid.field_errors().size() == 1) {
      const FieldError& e = invalid.field_errors()[0];
      return InvalidField(e.field, e.message);
    }
    return invalid;
  }
  MH_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(request.password()));

  UserRow user;
  user.id = NewId("usr_");
  user.email = *email;
  user.name = *name;
  user.password_hash = std::move(hash);
  user.created_at = clock_.NowUnixMillis();
  v1::AuthResponse response;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_TRY(UserStore::Insert(tx, user, user.created_at));
    MH_ASSIGN_OR_RETURN(response, StartSession(tx, user, request.ip(), request.user_agent()));
    MH_TRY(AppendUserRegistered(tx, clock_, user.id, user.email, user.name));
    return AppendAudit(tx, clock_, action::kRegistered, {"user", user.id},
                       ContextOf(request, user.id), true);
  }));
  return response;
}

Status AuthServiceImpl::RecordLoginFailure(const std::string& email_key,
                                           const std::optional<UserRow>& user,
                                           const AuditContext& audit) {
  const std::string user_id = user ? user->id : std::string();
  return Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(std::int64_t locked_for, failures_.RecordFailure(tx, email_key));
    if (locked_for > 0) {
      MH_TRY(AppendAudit(tx, clock_, action::kLocked, {"user", user_id}, audit, false));
    }
    return AppendAudit(tx, clock_, action::kLoggedIn, {"user", user_id}, audit, false);
  });
}

Result<v1::AuthResponse> AuthServiceImpl::Login(const v1::LoginRequest& request) {
  if (request.password().empty()) return InvalidField("password", "is required");
  MH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(request.email()));
  const std::string email_key = EmailKey(email);
  const AuditContext audit = ContextOf(request);

  std::int64_t locked_for = 0;
  std::optional<UserRow> user;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(locked_for, failures_.LockedFor(s, email_key));
    MH_ASSIGN_OR_RETURN(user, UserStore::ByEmail(s, email));
    return Status::Ok();
  }));
  if (locked_for > 0) return AccountLockedStatus(locked_for);

  // The same argon2id cost whether or not the account (or its password) exists.
  bool password_ok = false;
  if (user && user->password_hash) {
    password_ok = hasher_.Verify(*user->password_hash, request.password());
  } else {
    hasher_.DummyVerify(request.password());
  }
  if (!password_ok) {
    MH_TRY(RecordLoginFailure(email_key, user, audit));
    return Unauthenticated(kInvalidCredentialsMessage);
  }

  AuditContext user_audit = audit;
  user_audit.actor_id = user->id;
  std::optional<std::uint64_t> totp_step;
  if (user->mfa_enabled()) {
    if (request.totp_code().empty()) {
      return Status(StatusCode::kUnauthenticated, kTotpRequiredMessage)
          .WithField("totp_code", "required");
    }
    if (IsTotpCodeShaped(request.totp_code())) {
      MH_ASSIGN_OR_RETURN(totp_step, CheckTotp(user->id, *user->totp_secret_sealed,
                                               request.totp_code(), user->totp_last_step));
    }
    if (!totp_step) {
      MH_TRY(RecordLoginFailure(email_key, user, user_audit));
      return Unauthenticated(kInvalidTotpMessage);
    }
  }

  std::optional<std::string> rehash;
  if (hasher_.NeedsRehash(*user->password_hash)) {
    auto fresh = hasher_.Hash(request.password());
    if (fresh.ok()) rehash = std::move(fresh).value();
  }
  v1::AuthResponse response;
  bool replayed = false;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    if (totp_step) {
      // Conditional on the stored step: a concurrent login with the same code loses here.
      MH_ASSIGN_OR_RETURN(
          bool fresh_step,
          UserStore::UseTotpStep(tx, user->id, static_cast<std::int64_t>(*totp_step)));
      if (!fresh_step) {
        replayed = true;
        return Status::Ok();
      }
    }
    MH_TRY(failures_.Clear(tx, email_key));
    if (rehash) MH_TRY(UserStore::SetPasswordHash(tx, user->id, *rehash, clock_.NowUnixMillis()));
    MH_ASSIGN_OR_RETURN(response, StartSession(tx, *user, request.ip(), request.user_agent()));
    return AppendAudit(tx, clock_, action::kLoggedIn, {"user", user->id}, user_audit, true);
  }));
  if (replayed) {
    MH_TRY(RecordLoginFailure(email_key, user, user_audit));
    return Unauthenticated(kInvalidTotpMessage);
  }
  return response;
}

Result<v1::AuthResponse> AuthServiceImpl::Refresh(const v1::RefreshRequest& request) {
  if (request.refresh_token().empty()) return InvalidField("refresh_token", "is required");
  Rotation rotation;
  std::optional<UserRow> user;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(rotation, sessions_.Rotate(tx, request.refresh_token(), request.ip(),
                                                   request.user_agent()));
    switch (rotation.outcome) {
      case Rotation::Outcome::kInvalid:
        return Status::Ok();
      case Rotation::Outcome::kReused:
        return AppendAudit(tx, clock_, action::kRefreshReused, {"session", rotation.session_id},
                           ContextOf(request, rotation.user_id), false);
      case Rotation::Outcome::kRotated:
        MH_ASSIGN_OR_RETURN(user, UserStore::ById(tx, rotation.user_id));
        return Status::Ok();
    }
    return Status::Ok();
  }));
  switch (rotation.outcome) {
    case Rotation::Outcome::kInvalid:
      return Unauthenticated("refresh token is invalid or expired; sign in again");
    case Rotation::Outcome::kReused:
      return Unauthenticated(
          "refresh token was already used: the session has been revoked; sign in again");
    case Rotation::Outcome::kRotated:
      break;
  }
  if (!user) return Unauthenticated("refresh token is invalid or expired; sign in again");
  return TokenResponse(*user, rotation.session_id, std::move(rotation.refresh_token));
}

Result<v1::LogoutResponse> AuthServiceImpl::Logout(const v1::LogoutRequest& request) {
  if (request.refresh_token().empty()) return InvalidField("refresh_token", "is required");
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(auto ended,
                        sessions_.RevokeByToken(tx, request.refresh_token(), kRevokedLogout));
    if (!ended) return Status::Ok();
    return AppendAudit(tx, clock_, action::kLoggedOut, {"session", ended->second},
                       ContextOf(request, ended->first), true);
  }));
  return v1::LogoutResponse();
}

Result<v1::UserResponse> AuthServiceImpl::GetUser(const v1::GetUserRequest& request) {
  MH_ASSIGN_OR_RETURN(UserRow user, RequireUser(request.user_id()));
  v1::UserResponse out;
  *out.mutable_user() = user.ToProto();
  return out;
}

Result<v1::UserResponse> AuthServiceImpl::FindUserByEmail(
    const v1::FindUserByEmailRequest& request) {
  MH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(request.email()));
  std::optional<UserRow> user;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(user, UserStore::ByEmail(s, email));
    return Status::Ok();
  }));
  if (!user) return NotFound("no account with this email");
  v1::UserResponse out;
  *out.mutable_user() = user->ToProto();
  return out;
}

Result<v1::ListSessionsResponse> AuthServiceImpl::ListSessions(
    const v1::ListSessionsRequest& request) {
  if (request.user_id().empty()) return InvalidField("user_id", "is required");
  std::vector<SessionRow> rows;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(rows, sessions_.ListActive(s, request.user_id()));
    return Status::Ok();
  }));
  v1::ListSessionsResponse out;
  for (const SessionRow& row : rows) {
    v1::Session* s = out.add_sessions();
    s->set_id(row.id);
    s->set_created_at(row.created_at);
    s->set_last_used_at(row.last_used_at);
    s->set_expires_at(row.expires_at);
    s->set_ip(row.ip);
    s->set_user_agent(row.user_agent);
    s->set_current(row.id == request.current_session_id());
  }
  return out;
}

Result<v1::RevokeSessionResponse> AuthServiceImpl::RevokeSession(
    const v1::RevokeSessionRequest& request) {
  if (request.user_id().empty()) return InvalidField("user_id", "is required");
  if (request.session_id().empty()) return InvalidField("session_id", "is required");
  bool revoked = false;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(
        revoked, sessions_.Revoke(tx, request.user_id(), request.session_id(), kRevokedByUser));
    if (!revoked) return Status::Ok();
    return AppendAudit(tx, clock_, action::kSessionRevoked, {"session", request.session_id()},
                       ContextOf(request, request.user_id()), true);
  }));
  // Another user's session is "not found" too: no leak of its existence.
  if (!revoked) return NotFound("session not found");
  return v1::RevokeSessionResponse();
}

}  // namespace milkyhoop::auth
