#include "session_store.hpp"

#include <algorithm>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::auth {
namespace {

constexpr std::size_t kRefreshTokenBytes = 32;

std::int64_t Ms(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(s).count();
}

}  // namespace

std::string RefreshTokenHash(std::string_view token) { return HexEncode(crypto::Sha256(token)); }

Status SessionStore::Insert(sql::Session& tx, std::string_view session_id, std::string_view token,
                            std::int64_t now) const {
  return tx
      .Exec(
          "INSERT INTO refresh_tokens (token_hash, session_id, created_at) "
          "VALUES ($1, $2, $3)",
          {RefreshTokenHash(token), std::string(session_id), now})
      .status();
}

Result<NewSession> SessionStore::Create(sql::Session& tx, std::string_view user_id,
                                        std::string_view ip, std::string_view user_agent) const {
  const std::int64_t now = clock_.NowUnixMillis();
  const std::int64_t max_end = now + Ms(max_ttl_);
  NewSession out{NewId("ses_"), crypto::Base64UrlEncode(RandomBytes(kRefreshTokenBytes))};
  MH_TRY(tx.Exec("INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, "
                 "max_expires_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
                 {out.session_id, std::string(user_id), now, std::min(now + Ms(idle_ttl_), max_end),
                  max_end, std::string(ip), std::string(user_agent)})
             .status());
  MH_TRY(Insert(tx, out.session_id, out.refresh_token, now));
  return out;
}

Result<Rotation> SessionStore::Rotate(sql::Session& tx, std::string_view refresh_token,
                                      std::string_view ip, std::string_view user_agent) const {
  const std::int64_t now = clock_.NowUnixMillis();
  const std::string hash = RefreshTokenHash(refresh_token);
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      tx.Query("SELECT r.session_id, r.spent_at, s.user_id, s.revoked_at, s.expires_at, "
               "s.max_expires_at FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id "
               "WHERE r.token_hash = $1",
               {hash}));
  Rotation out;
  if (rows.empty()) return out;  // kInvalid
  out.session_id = rows.Text(0, 0);
  out.user_id = rows.Text(0, 2);
  const bool session_active = rows.IsNull(0, 3) && rows.Int(0, 4) > now;
  if (!session_active) {
    out.outcome = Rotation::Outcome::kInvalid;
    return out;
  }
  if (!rows.IsNull(0, 1)) {
    MH_TRY(tx.Exec("UPDATE sessions SET revoked_at = $2, revoke_reason = $3 "
                   "WHERE id = $1 AND revoked_at IS NULL",
                   {out.session_id, now, std::string(kRevokedReuse)})
               .status());
    out.outcome = Rotation::Outcome::kReused;
    return out;
  }
  // Conditional, so two concurrent refreshes with one token cannot both succeed.
  MH_ASSIGN_OR_RETURN(std::int64_t spent, tx.Exec("UPDATE refresh_tokens SET spent_at = $2 "
                                                  "WHERE token_hash = $1 AND spent_at IS NULL",
                                                  {hash, now}));
  if (spent != 1) {
    MH_TRY(tx.Exec("UPDATE sessions SET revoked_at = $2, revoke_reason = $3 "
                   "WHERE id = $1 AND revoked_at IS NULL",
                   {out.session_id, now, std::string(kRevokedReuse)})
               .status());
    out.outcome = Rotation::Outcome::kReused;
    return out;
  }
  out.refresh_token = crypto::Base64UrlEncode(RandomBytes(kRefreshTokenBytes));
  MH_TRY(Insert(tx, out.session_id, out.refresh_token, now));
  const std::int64_t expires = std::min(now + Ms(idle_ttl_), rows.Int(0, 5));
  MH_TRY(tx.Exec("UPDATE sessions SET last_used_at = $2, expires_at = $3, ip = $4, "
                 "user_agent = $5 WHERE id = $1",
                 {out.session_id, now, expires, std::string(ip), std::string(user_agent)})
             .status());
  out.outcome = Rotation::Outcome::kRotated;
  return out;
}

Result<std::optional<std::pair<std::string, std::string>>> SessionStore::RevokeByToken(
    sql::Session& tx, std::string_view refresh_token, std::string_view reason) const {
  MH_ASSIGN_OR_RETURN(sql::Rows rows, tx.Query("SELECT s.id, s.user_id FROM refresh_tokens r "
                                               "JOIN sessions s ON s.id = r.session_id "
                                               "WHERE r.token_hash = $1 AND s.revoked_at IS NULL",
                                               {RefreshTokenHash(refresh_token)}));
  if (rows.empty()) return std::optional<std::pair<std::string, std::string>>();
  std::pair<std::string, std::string> ids{rows.Text(0, 1), rows.Text(0, 0)};
  MH_TRY(tx.Exec("UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1",
                 {ids.second, clock_.NowUnixMillis(), std::string(reason)})
             .status());
  return std::optional(std::move(ids));
}

Result<bool> SessionStore::Revoke(sql::Session& tx, std::string_view user_id,
                                  std::string_view session_id, std::string_view reason) const {
  const std::int64_t now = clock_.NowUnixMillis();
  MH_ASSIGN_OR_RETURN(
      std::int64_t changed,
      tx.Exec("UPDATE sessions SET revoked_at = $3, revoke_reason = $4 "
              "WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL "
              "AND expires_at > $3",
              {std::string(session_id), std::string(user_id), now, std::string(reason)}));
  return changed == 1;
}

Result<std::vector<SessionRow>> SessionStore::ListActive(sql::Session& session,
                                                         std::string_view user_id) const {
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      session.Query("SELECT id, user_id, created_at, last_used_at, expires_at, ip, user_agent "
                    "FROM sessions WHERE user_id = $1 AND revoked_at IS NULL "
                    "AND expires_at > $2 ORDER BY created_at DESC, id DESC",
                    {std::string(user_id), clock_.NowUnixMillis()}));
  std::vector<SessionRow> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.push_back({rows.Text(r, 0), rows.Text(r, 1), rows.Int(r, 2), rows.Int(r, 3), rows.Int(r, 4),
                   rows.Text(r, 5), rows.Text(r, 6)});
  }
  return out;
}

}  // namespace milkyhoop::auth
