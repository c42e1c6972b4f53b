#pragma once
// The users table: accounts, their password hash and their TOTP state.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/auth/v1/auth.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::auth {

struct UserRow {
  std::string id;
  std::string email;
  std::string name;
  std::optional<std::string> password_hash;
  std::optional<std::string> totp_secret_sealed;
  std::optional<std::string> totp_pending_sealed;
  std::optional<std::int64_t> totp_last_step;
  std::int64_t created_at = 0;

  bool mfa_enabled() const { return totp_secret_sealed.has_value(); }
  v1::User ToProto() const;
};

// AAD binding a sealed TOTP secret to its user and column.
std::string TotpSecretAad(std::string_view user_id);

class UserStore {
 public:
  // kAlreadyExists when the email is taken.
  static Status Insert(sql::Session& tx, const UserRow& user, std::int64_t now);
  static Result<std::optional<UserRow>> ById(sql::Session& session, std::string_view id);
  static Result<std::optional<UserRow>> ByEmail(sql::Session& session, std::string_view email);
  static Status SetPasswordHash(sql::Session& tx, std::string_view id, std::string_view hash,
                                std::int64_t now);
  static Status SetTotpPending(sql::Session& tx, std::string_view id, std::string_view sealed,
                               std::int64_t now);
  // The pending secret becomes the enabled one; `step` is the code just used.
  static Status EnableTotp(sql::Session& tx, std::string_view id, std::int64_t step,
                           std::int64_t now);
  static Status DisableTotp(sql::Session& tx, std::string_view id, std::int64_t now);
  // Records `step` as used when it is later than the last one: false when it is not (replay,
  // or a concurrent login that used it first).
  static Result<bool> UseTotpStep(sql::Session& tx, std::string_view id, std::int64_t step);
};

}  // namespace milkyhoop::auth
