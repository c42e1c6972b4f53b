#pragma once
// Events the auth service appends to its outbox, in the transaction of the change they announce:
// audit records (audit.v1.AuditRecord, org_id "" — user-level) and auth.user.registered
// (org.v1.UserRegistered).
#include <string>
#include <string_view>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::auth {

// Audit actions, "<noun>.<verb in past tense>".
namespace action {
inline constexpr char kRegistered[] = "user.registered";
inline constexpr char kLoggedIn[] = "user.logged_in";  // result "failure" for refused logins
inline constexpr char kLocked[] = "user.locked";
inline constexpr char kLoggedOut[] = "user.logged_out";
inline constexpr char kOidcSignedIn[] = "user.oidc_signed_in";
inline constexpr char kRefreshReused[] = "session.refresh_token_reused";
inline constexpr char kSessionRevoked[] = "session.revoked";
inline constexpr char kTotpEnabled[] = "mfa.totp_enabled";
inline constexpr char kTotpDisabled[] = "mfa.totp_disabled";
}  // namespace action

struct AuditContext {
  std::string actor_id;  // the user, when known
  std::string ip;
  std::string user_agent;
  std::string request_id;
};

struct AuditTarget {
  std::string_view type;  // "user" | "session"
  std::string_view id;
};

Status AppendAudit(sql::Session& tx, const Clock& clock, std::string_view action,
                   const AuditTarget& target, const AuditContext& context, bool success);

Status AppendUserRegistered(sql::Session& tx, const Clock& clock, std::string_view user_id,
                            std::string_view email, std::string_view name);

}  // namespace milkyhoop::auth
