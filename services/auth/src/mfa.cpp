// AuthServiceImpl: TOTP (RFC 6238) second factor. The secret is sealed at rest; a code's time
// step is recorded when used, so the same code cannot be replayed within its window.
#include "auth_service_impl.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/totp.hpp"

namespace milkyhoop::auth {
namespace {

constexpr int kTotpWindow = 1;  // one step either way: phones' clocks drift

Status ValidateCode(std::string_view code) {
  if (code.empty()) return InvalidField("code", "is required");
  if (code.size() != 6 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidField("code", "must be the 6-digit code of the authenticator app");
  }
  return Status::Ok();
}

AuditContext ContextOf(const v1::TotpCodeRequest& r) {
  return {r.user_id(), r.ip(), r.user_agent(), r.request_id()};
}

}  // namespace

Result<std::optional<std::uint64_t>> AuthServiceImpl::CheckTotp(
    std::string_view user_id, std::string_view sealed, std::string_view code,
    std::optional<std::int64_t> last_step) {
  MH_ASSIGN_OR_RETURN(std::string secret, sealer_.Open(sealed, TotpSecretAad(user_id)));
  crypto::Totp totp{crypto::SecretBytes(std::move(secret))};
  std::optional<std::uint64_t> last;
  if (last_step) last = static_cast<std::uint64_t>(*last_step);
  return totp.Verify(code, clock_.Now(), kTotpWindow, last);
}

Result<v1::TotpSetupResponse> AuthServiceImpl::TotpSetup(const v1::TotpSetupRequest& request) {
  MH_ASSIGN_OR_RETURN(UserRow user, RequireUser(request.user_id()));
  if (user.mfa_enabled()) {
    return FailedPrecondition("TOTP is already enabled; disable it before setting it up again");
  }
  crypto::SecretBytes secret = crypto::GenerateTotpSecret();
  MH_ASSIGN_OR_RETURN(std::string sealed, sealer_.Seal(secret.view(), TotpSecretAad(user.id)));
  MH_TRY(Write([&](sql::Session& tx) {
    return UserStore::SetTotpPending(tx, user.id, sealed, clock_.NowUnixMillis());
  }));
  v1::TotpSetupResponse out;
  out.set_secret(crypto::Base32Encode(secret.view()));
  out.set_otpauth_url(crypto::TotpProvisioningUri(config_.totp_issuer, user.email, secret.view()));
  return out;
}

Result<v1::TotpStateResponse> AuthServiceImpl::TotpEnable(const v1::TotpCodeRequest& request) {
  MH_TRY(ValidateCode(request.code()));
  MH_ASSIGN_OR_RETURN(UserRow user, RequireUser(request.user_id()));
  if (user.mfa_enabled()) return FailedPrecondition("TOTP is already enabled");
  if (!user.totp_pending_sealed) {
    return FailedPrecondition("no TOTP secret is waiting for confirmation: call setup first");
  }
  MH_ASSIGN_OR_RETURN(auto step,
                      CheckTotp(user.id, *user.totp_pending_sealed, request.code(), std::nullopt));
  if (!step) return InvalidField("code", "is not the current code of this secret");
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_TRY(UserStore::EnableTotp(tx, user.id, static_cast<std::int64_t>(*step),
                                 clock_.NowUnixMillis()));
    return AppendAudit(tx, clock_, action::kTotpEnabled, {"user", user.id}, ContextOf(request),
                       true);
  }));
  v1::TotpStateResponse out;
  out.set_mfa_enabled(true);
  return out;
}

Result<v1::TotpStateResponse> AuthServiceImpl::TotpDisable(const v1::TotpCodeRequest& request) {
  MH_TRY(ValidateCode(request.code()));
  MH_ASSIGN_OR_RETURN(UserRow user, RequireUser(request.user_id()));
  if (!user.mfa_enabled()) return FailedPrecondition("TOTP is not enabled");
  MH_ASSIGN_OR_RETURN(
      auto step, CheckTotp(user.id, *user.totp_secret_sealed, request.code(), user.totp_last_step));
  if (!step) return InvalidField("code", "is not the current code (or was already used)");
  bool fresh = false;
  MH_TRY(Write([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(fresh,
                        UserStore::UseTotpStep(tx, user.id, static_cast<std::int64_t>(*step)));
    if (!fresh) return Status::Ok();
    MH_TRY(UserStore::DisableTotp(tx, user.id, clock_.NowUnixMillis()));
    return AppendAudit(tx, clock_, action::kTotpDisabled, {"user", user.id}, ContextOf(request),
                       true);
  }));
  if (!fresh) return InvalidField("code", "is not the current code (or was already used)");
  v1::TotpStateResponse out;
  out.set_mfa_enabled(false);
  return out;
}

}  // namespace milkyhoop::auth
