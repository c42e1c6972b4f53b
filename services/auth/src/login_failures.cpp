#include "login_failures.hpp"

#include <algorithm>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::auth {
namespace {
constexpr std::int64_t kForgetAfterMs = 24LL * 3600 * 1000;
}

std::chrono::seconds LockoutDelay(const LockoutPolicy& policy, std::int64_t lockouts_so_far) {
  if (policy.delays.empty()) return std::chrono::minutes(5);
  const auto i = static_cast<std::size_t>(std::clamp<std::int64_t>(
      lockouts_so_far, 0, static_cast<std::int64_t>(policy.delays.size()) - 1));
  return policy.delays[i];
}

std::string EmailKey(std::string_view normalized_email) {
  return HexEncode(crypto::Sha256(normalized_email));
}

Result<std::int64_t> LoginFailures::LockedFor(sql::Session& session,
                                              std::string_view email_key) const {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      session.Query("SELECT locked_until FROM login_failures WHERE email_hash = $1",
                                    {std::string(email_key)}));
  if (rows.empty()) return std::int64_t{0};
  const std::int64_t remaining_ms = rows.Int(0, 0) - clock_.NowUnixMillis();
  if (remaining_ms <= 0) return std::int64_t{0};
  return (remaining_ms + 999) / 1000;
}

Result<std::int64_t> LoginFailures::RecordFailure(sql::Session& tx,
                                                  std::string_view email_key) const {
  const std::int64_t now = clock_.NowUnixMillis();
  // One statement, so concurrent failures each count (the row is locked by the upsert).
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      tx.Query("INSERT INTO login_failures (email_hash, failures, lockouts, locked_until, "
               "updated_at) VALUES ($1, 1, 0, 0, $2) "
               "ON CONFLICT (email_hash) DO UPDATE SET "
               "failures = CASE WHEN login_failures.updated_at < $3 THEN 1 "
               "ELSE login_failures.failures + 1 END, "
               "lockouts = CASE WHEN login_failures.updated_at < $3 THEN 0 "
               "ELSE login_failures.lockouts END, "
               "updated_at = $2 RETURNING failures, lockouts",
               {std::string(email_key), now, now - kForgetAfterMs}));
  if (rows.empty()) return Internal("login failure not recorded");
  const std::int64_t failures = rows.Int(0, 0);
  const std::int64_t lockouts = rows.Int(0, 1);
  if (failures < policy_.threshold) return std::int64_t{0};
  const std::chrono::seconds delay = LockoutDelay(policy_, lockouts);
  const std::int64_t until =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
  MH_TRY(tx.Exec("UPDATE login_failures SET failures = 0, lockouts = lockouts + 1, "
                 "locked_until = $2 WHERE email_hash = $1",
                 {std::string(email_key), until})
             .status());
  return static_cast<std::int64_t>(delay.count());
}

Status LoginFailures::Clear(sql::Session& tx, std::string_view email_key) const {
  return tx.Exec("DELETE FROM login_failures WHERE email_hash = $1", {std::string(email_key)})
      .status();
}

}  // namespace milkyhoop::auth
