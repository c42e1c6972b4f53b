#pragma once
// The implementation of AuthService over its own database. Methods are spread over files by
// concern: auth_service_impl.cpp (construction, tokens, sign-in), accounts.cpp (register,
// login, refresh, logout, users, sessions), mfa.cpp (TOTP), oidc_flow.cpp (OIDC sign-in).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth_events.hpp"
#include "login_failures.hpp"
#include "milkyhoop/auth/auth_config.hpp"
#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/crypto/password_hasher.hpp"
#include "oidc_client.hpp"
#include "secret_sealer.hpp"
#include "session_store.hpp"
#include "signing_keys.hpp"
#include "user_store.hpp"

namespace milkyhoop::auth {

class AuthServiceImpl final : public AuthService {
 public:
  static Result<std::unique_ptr<AuthServiceImpl>> Create(const AuthDependencies& deps,
                                                         const AuthConfig& config);

  Result<v1::AuthResponse> Register(const v1::RegisterRequest& request) override;
  Result<v1::AuthResponse> Login(const v1::LoginRequest& request) override;
  Result<v1::AuthResponse> Refresh(const v1::RefreshRequest& request) override;
  Result<v1::LogoutResponse> Logout(const v1::LogoutRequest& request) override;
  Result<v1::UserResponse> GetUser(const v1::GetUserRequest& request) override;
  Result<v1::UserResponse> FindUserByEmail(const v1::FindUserByEmailRequest& request) override;
  Result<v1::ListSessionsResponse> ListSessions(const v1::ListSessionsRequest& request) override;
  Result<v1::RevokeSessionResponse> RevokeSession(const v1::RevokeSessionRequest& request) override;
  Result<v1::TotpSetupResponse> TotpSetup(const v1::TotpSetupRequest& request) override;
  Result<v1::TotpStateResponse> TotpEnable(const v1::TotpCodeRequest& request) override;
  Result<v1::TotpStateResponse> TotpDisable(const v1::TotpCodeRequest& request) override;
  Result<v1::GetJwksResponse> GetJwks(const v1::GetJwksRequest& request) override;
  Result<v1::RotateSigningKeyResponse> RotateSigningKey(
      const v1::RotateSigningKeyRequest& request) override;
  Result<v1::OidcStartResponse> OidcStart(const v1::OidcStartRequest& request) override;
  Result<v1::AuthResponse> OidcCallback(const v1::OidcCallbackRequest& request) override;

  Result<std::vector<crypto::JwtKey>> VerificationKeys() { return keys_->VerificationKeys(); }

 private:
  AuthServiceImpl(const AuthDependencies& deps, const AuthConfig& config,
                  std::unique_ptr<SecretSealer> sealer, crypto::PasswordHasher hasher,
                  std::unique_ptr<SigningKeys> keys, std::unique_ptr<OidcClient> oidc);

  // A transaction whose outbox events wake the relay once committed.
  Status Write(const std::function<Status(sql::Session&)>& fn);
  Result<std::optional<UserRow>> ReadUser(std::string_view user_id);
  Result<UserRow> RequireUser(std::string_view user_id);
  // A new session for `user` and the token pair of it (in the caller's transaction).
  Result<v1::AuthResponse> StartSession(sql::Session& tx, const UserRow& user, std::string_view ip,
                                        std::string_view user_agent);
  Result<v1::AuthResponse> TokenResponse(const UserRow& user, std::string_view session_id,
                                         std::string refresh_token);
  // Login helpers (accounts.cpp).
  Status RecordLoginFailure(const std::string& email_key, const std::optional<UserRow>& user,
                            const AuditContext& audit);
  // TOTP helpers (mfa.cpp): the matched step of `code` for the sealed secret, or nullopt.
  Result<std::optional<std::uint64_t>> CheckTotp(std::string_view user_id, std::string_view sealed,
                                                 std::string_view code,
                                                 std::optional<std::int64_t> last_step);
  // OIDC helpers (oidc_flow.cpp): the account of a verified provider identity, linked or new.
  Result<UserRow> AccountForIdentity(sql::Session& tx, const OidcIdentity& identity,
                                     const AuditContext& audit);

  sql::Database& db_;
  std::unique_ptr<SecretSealer> sealer_owned_;
  SecretSealer& sealer_;
  const Clock& clock_;
  std::function<void()> outbox_notify_;
  const AuthConfig config_;
  const crypto::PasswordHasher hasher_;
  std::unique_ptr<SigningKeys> keys_;
  std::unique_ptr<OidcClient> oidc_;
  const SessionStore sessions_;
  const LoginFailures failures_;
};

// Validated, trimmed display name (1..100 characters, no control characters).
Result<std::string> NormalizeName(std::string_view name, std::string_view field = "name");

}  // namespace milkyhoop::auth
