#pragma once
// The auth service: accounts, sessions, access and refresh tokens, TOTP MFA and OIDC sign-in.
// Callers hold an AuthService&; the composition root decides whether it is the implementation
// (milkyhoop/auth/auth_factory.hpp) or a gRPC client (milkyhoop/auth/auth_grpc.hpp).
//
// Errors (Status codes; the gateway maps them to HTTP once):
//   kInvalidArgument   a malformed field, named in field_errors (email, password, name, ...)
//   kAlreadyExists     Register with an email already taken
//   kUnauthenticated   wrong credentials (kInvalidCredentialsMessage, identical whether or not
//                      the email exists), TOTP required (kTotpRequiredMessage) or wrong,
//                      unknown/spent/expired refresh token, a failed OIDC sign-in
//   kResourceExhausted Login on a locked account; RetryAfterSeconds() reads the wait
//   kNotFound          unknown user or session (also another user's session), OIDC off
//   kFailedPrecondition TOTP state does not allow the call (e.g. enable without setup)
//   kUnavailable       the database or the identity provider does not answer

#include <cstdint>
#include <optional>

#include "milkyhoop/auth/v1/auth.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::auth {

// v1:: below is the generated milkyhoop::auth::v1 (proto/milkyhoop/auth/v1/auth.proto).
class AuthService {
 public:
  virtual ~AuthService();

  // Creates an account (argon2id password) and signs it in. Emits auth.user.registered.
  virtual Result<v1::AuthResponse> Register(const v1::RegisterRequest& request) = 0;
  // Same error and about the same time whether or not the email exists.
  virtual Result<v1::AuthResponse> Login(const v1::LoginRequest& request) = 0;
  // Spends the refresh token and returns a new pair in the same session. A spent token
  // presented again revokes its whole session (kUnauthenticated).
  virtual Result<v1::AuthResponse> Refresh(const v1::RefreshRequest& request) = 0;
  // Ends the session of the refresh token. Unknown or already ended: OK (idempotent).
  virtual Result<v1::LogoutResponse> Logout(const v1::LogoutRequest& request) = 0;

  virtual Result<v1::UserResponse> GetUser(const v1::GetUserRequest& request) = 0;
  // kNotFound when no account has this email (normalised the way Register does).
  virtual Result<v1::UserResponse> FindUserByEmail(const v1::FindUserByEmailRequest& request) = 0;

  virtual Result<v1::ListSessionsResponse> ListSessions(const v1::ListSessionsRequest& request) = 0;
  virtual Result<v1::RevokeSessionResponse> RevokeSession(
      const v1::RevokeSessionRequest& request) = 0;

  // A new secret, stored sealed and pending until TotpEnable confirms a code from it.
  virtual Result<v1::TotpSetupResponse> TotpSetup(const v1::TotpSetupRequest& request) = 0;
  virtual Result<v1::TotpStateResponse> TotpEnable(const v1::TotpCodeRequest& request) = 0;
  virtual Result<v1::TotpStateResponse> TotpDisable(const v1::TotpCodeRequest& request) = 0;

  // The public keys that verify access tokens, as a JWKS document.
  virtual Result<v1::GetJwksResponse> GetJwks(const v1::GetJwksRequest& request) = 0;
  // A new active signing key; previous public keys stay in the JWKS until every token they
  // signed has expired, so nobody is logged out.
  virtual Result<v1::RotateSigningKeyResponse> RotateSigningKey(
      const v1::RotateSigningKeyRequest& request) = 0;

  virtual Result<v1::OidcStartResponse> OidcStart(const v1::OidcStartRequest& request) = 0;
  virtual Result<v1::AuthResponse> OidcCallback(const v1::OidcCallbackRequest& request) = 0;
};

// Error messages clients may rely on (the gateway passes them through as `detail`).
inline constexpr char kInvalidCredentialsMessage[] = "invalid email or password";
// Login without totp_code on an account with TOTP enabled; also carries the field error
// {field: "totp_code", message: "required"}, so a client can prompt for the code and retry.
inline constexpr char kTotpRequiredMessage[] =
    "totp_code required: this account has two-factor authentication enabled";
inline constexpr char kInvalidTotpMessage[] = "invalid TOTP code";

// Login on a locked account: kResourceExhausted whose message ends "retry after <n> seconds".
Status AccountLockedStatus(std::int64_t retry_after_seconds);
// The <n> of such a status; nullopt for any other status.
std::optional<std::int64_t> RetryAfterSeconds(const Status& status);

}  // namespace milkyhoop::auth
