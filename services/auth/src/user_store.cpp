#include "user_store.hpp"

namespace milkyhoop::auth {
namespace {

constexpr char kColumns[] =
    "SELECT id, email, name, password_hash, totp_secret_sealed, totp_pending_sealed, "
    "totp_last_step, created_at FROM users ";

Result<std::optional<UserRow>> One(sql::Session& session, std::string_view where,
                                   std::string_view value) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows, session.Query(std::string(kColumns) + std::string(where),
                                                    {std::string(value)}));
  if (rows.empty()) return std::optional<UserRow>();
  UserRow u;
  u.id = rows.Text(0, 0);
  u.email = rows.Text(0, 1);
  u.name = rows.Text(0, 2);
  u.password_hash = rows.OptText(0, 3);
  u.totp_secret_sealed = rows.OptText(0, 4);
  u.totp_pending_sealed = rows.OptText(0, 5);
  if (!rows.IsNull(0, 6)) u.totp_last_step = rows.Int(0, 6);
  u.created_at = rows.Int(0, 7);
  return std::optional(std::move(u));
}

sql::Value OptValue(const std::optional<std::string>& v) {
  return v ? sql::Value(*v) : sql::Value(sql::Null);
}

}  // namespace

v1::User UserRow::ToProto() const {
  v1::User u;
  u.set_id(id);
  u.set_email(email);
  u.set_name(name);
  u.set_mfa_enabled(mfa_enabled());
  u.set_has_password(password_hash.has_value());
  u.set_created_at(created_at);
  return u;
}

std::string TotpSecretAad(std::string_view user_id) {
  return "auth.users.totp:" + std::string(user_id);
}

Status UserStore::Insert(sql::Session& tx, const UserRow& u, std::int64_t now) {
  auto inserted = tx.Exec(
      "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $5)",
      {u.id, u.email, u.name, OptValue(u.password_hash), now});
  if (!inserted.ok() && inserted.status().code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, "an account with this email already exists")
        .WithField("email", "is already registered");
  }
  return inserted.status();
}

Result<std::optional<UserRow>> UserStore::ById(sql::Session& session, std::string_view id) {
  return One(session, "WHERE id = $1", id);
}

Result<std::optional<UserRow>> UserStore::ByEmail(sql::Session& session, std::string_view email) {
  return One(session, "WHERE email = $1", email);
}

Status UserStore::SetPasswordHash(sql::Session& tx, std::string_view id, std::string_view hash,
                                  std::int64_t now) {
  return tx
      .Exec("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
            {std::string(id), std::string(hash), now})
      .status();
}

Status UserStore::SetTotpPending(sql::Session& tx, std::string_view id, std::string_view sealed,
                                 std::int64_t now) {
  return tx
      .Exec("UPDATE users SET totp_pending_sealed = $2, updated_at = $3 WHERE id = $1",
            {std::string(id), std::string(sealed), now})
      .status();
}

Status UserStore::EnableTotp(sql::Session& tx, std::string_view id, std::int64_t step,
                             std::int64_t now) {
  return tx
      .Exec(
          "UPDATE users SET totp_secret_sealed = totp_pending_sealed, "
          "totp_pending_sealed = NULL, totp_last_step = $2, updated_at = $3 WHERE id = $1",
          {std::string(id), step, now})
      .status();
}

Status UserStore::DisableTotp(sql::Session& tx, std::string_view id, std::int64_t now) {
  return tx
      .Exec(
          "UPDATE users SET totp_secret_sealed = NULL, totp_pending_sealed = NULL, "
          "totp_last_step = NULL, updated_at = $2 WHERE id = $1",
          {std::string(id), now})
      .status();
}

Result<bool> UserStore::UseTotpStep(sql::Session& tx, std::string_view id, std::int64_t step) {
  MH_ASSIGN_OR_RETURN(std::int64_t changed,
                      tx.Exec("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND "
                              "(totp_last_step IS NULL OR totp_last_step < $2)",
                              {std::string(id), step}));
  return changed == 1;
}

}  // namespace milkyhoop::auth
