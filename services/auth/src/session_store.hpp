#pragma once
// Sessions and their refresh tokens. A session is one sign-in; each refresh spends the current
// token and issues the next one of the same family. Tokens are 32 random bytes (base64url) and
// only their SHA-256 is stored. A spent token presented again means the family leaked: the whole
// session is revoked.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::auth {

struct SessionRow {
  std::string id;
  std::string user_id;
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;
  std::int64_t expires_at = 0;
  std::string ip;
  std::string user_agent;
};

struct NewSession {
  std::string session_id;
  std::string refresh_token;
};

struct Rotation {
  enum class Outcome { kRotated, kReused, kInvalid };
  Outcome outcome = Outcome::kInvalid;
  std::string user_id;        // kRotated, kReused
  std::string session_id;     // kRotated, kReused
  std::string refresh_token;  // kRotated: the new one
};

// Revoke reasons recorded on the session.
inline constexpr char kRevokedLogout[] = "logout";
inline constexpr char kRevokedByUser[] = "revoked";
inline constexpr char kRevokedReuse[] = "refresh_token_reuse";

// Hex SHA-256 of a refresh token, its key in the table.
std::string RefreshTokenHash(std::string_view token);

class SessionStore {
 public:
  SessionStore(const Clock& clock, std::chrono::seconds idle_ttl, std::chrono::seconds max_ttl)
      : clock_(clock), idle_ttl_(idle_ttl), max_ttl_(max_ttl) {}

  Result<NewSession> Create(sql::Session& tx, std::string_view user_id, std::string_view ip,
                            std::string_view user_agent) const;
  Result<Rotation> Rotate(sql::Session& tx, std::string_view refresh_token, std::string_view ip,
                          std::string_view user_agent) const;
  // Revokes the session of `refresh_token` if it is active; returns (user id, session id).
  Result<std::optional<std::pair<std::string, std::string>>> RevokeByToken(
      sql::Session& tx, std::string_view refresh_token, std::string_view reason) const;
  // False when the user has no such active session.
  Result<bool> Revoke(sql::Session& tx, std::string_view user_id, std::string_view session_id,
                      std::string_view reason) const;
  // Active sessions, newest first.
  Result<std::vector<SessionRow>> ListActive(sql::Session& session, std::string_view user_id) const;

 private:
  Status Insert(sql::Session& tx, std::string_view session_id, std::string_view token,
                std::int64_t now) const;

  const Clock& clock_;
  std::chrono::seconds idle_ttl_;
  std::chrono::seconds max_ttl_;
};

}  // namespace milkyhoop::auth
