#include "org_queries.hpp"

#include <algorithm>
#include <sstream>

namespace milkyhoop::org {

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string scope;
  while (in >> scope) out.push_back(scope);
  return out;
}

v1::Org OrgFromRow(const sql::Rows& rows, std::size_t r, std::size_t c) {
  v1::Org org;
  org.set_id(rows.Text(r, c));
  org.set_name(rows.Text(r, c + 1));
  org.set_slug(rows.Text(r, c + 2));
  org.set_created_by(rows.Text(r, c + 3));
  org.set_created_at_ms(rows.Int(r, c + 4));
  return org;
}

v1::Member MemberFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Member m;
  m.set_id(rows.Text(r, 0));
  m.set_user_id(rows.Text(r, 1));
  m.set_role(rows.Text(r, 3));
  m.set_status(rows.Text(r, 4));
  m.set_created_at_ms(rows.Int(r, 5));
  // An invitation is known by the invited address; a member by its profile.
  m.set_email(rows.IsNull(r, 1) ? rows.Text(r, 2) : rows.Text(r, 6));
  m.set_name(rows.Text(r, 7));
  return m;
}

v1::ApiKey ApiKeyFromRow(const sql::Rows& rows, std::size_t r) {
  v1::ApiKey k;
  k.set_id(rows.Text(r, 0));
  k.set_org_id(rows.Text(r, 1));
  k.set_name(rows.Text(r, 2));
  k.set_prefix(rows.Text(r, 3));
  for (std::string& s : SplitScopes(rows.Text(r, 4))) k.add_scopes(std::move(s));
  k.set_business_id(rows.Text(r, 5));
  k.set_created_by(rows.Text(r, 6));
  k.set_created_at_ms(rows.Int(r, 7));
  k.set_last_used_at_ms(rows.Int(r, 8));
  k.set_revoked(!rows.IsNull(r, 9));
  k.set_revoked_at_ms(rows.Int(r, 9));
  return k;
}

Result<std::optional<v1::Org>> FindLiveOrg(sql::Session& s, std::string_view org_id) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query("SELECT " + std::string(kOrgColumns) +
                                  " FROM orgs o WHERE o.id = $1 AND o.deleted_at IS NULL",
                              {std::string(org_id)}));
  if (rows.empty()) return std::optional<v1::Org>();
  return std::optional<v1::Org>(OrgFromRow(rows, 0));
}

Result<std::optional<Role>> FindActiveRole(sql::Session& s, std::string_view org_id,
                                           std::string_view user_id) {
  if (user_id.empty()) return std::optional<Role>();
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query("SELECT m.role FROM memberships m JOIN orgs o ON o.id = m.org_id "
                              "WHERE m.org_id = $1 AND m.user_id = $2 AND m.status = 'active' "
                              "AND o.deleted_at IS NULL",
                              {std::string(org_id), std::string(user_id)}));
  if (rows.empty()) return std::optional<Role>();
  std::optional<Role> role = ParseRole(rows.Text(0, 0));
  if (!role)
    return Internal("membership with an unknown role in organisation " + std::string(org_id));
  return role;
}

Result<Role> RequireActor(sql::Session& s, std::string_view org_id, const v1::AuditContext& audit,
                          std::string_view permission) {
  if (audit.actor_id().empty()) return InvalidField("audit.actor_id", "is required");
  MH_ASSIGN_OR_RETURN(std::optional<Role> role, FindActiveRole(s, org_id, audit.actor_id()));
  if (!role) return NotFound("organisation not found");
  if (!RoleHasPermission(*role, permission)) {
    return PermissionDenied("your role (" + std::string(RoleName(*role)) + ") lacks " +
                            std::string(permission));
  }
  return *role;
}

Result<std::optional<v1::Member>> FindMember(sql::Session& s, std::string_view org_id,
                                             std::string_view member_id) {
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      s.Query("SELECT " + std::string(kMemberColumns) + " FROM " + std::string(kMemberFrom) +
                  " WHERE m.org_id = $1 AND (m.user_id = $2 OR (m.user_id IS NULL AND m.id = $2))",
              {std::string(org_id), std::string(member_id)}));
  if (rows.empty()) return std::optional<v1::Member>();
  return std::optional<v1::Member>(MemberFromRow(rows, 0));
}

Result<std::int64_t> CountActiveOwners(sql::Session& s, std::string_view org_id) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query("SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND "
                              "role = 'owner' AND status = 'active'",
                              {std::string(org_id)}));
  return rows.Int(0, 0);
}

Status LockOrg(sql::Session& s, std::string_view org_id, std::int64_t now_ms) {
  return s.Exec("UPDATE orgs SET updated_at = $2 WHERE id = $1", {std::string(org_id), now_ms})
      .status();
}

Status UpsertUserProfile(sql::Session& s, const v1::UserProfile& profile, std::int64_t now_ms) {
  if (profile.user_id().empty()) return Status::Ok();
  return s
      .Exec(
          "INSERT INTO user_profiles (user_id, email, name, updated_at) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (user_id) DO UPDATE SET "
          "email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE user_profiles.email "
          "END, "
          "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE user_profiles.name END, "
          "updated_at = excluded.updated_at",
          {profile.user_id(), profile.email(), profile.name(), now_ms})
      .status();
}

Status ValidateCursor(std::string_view field, std::string_view cursor) {
  const bool ok = cursor.size() <= 64 && std::all_of(cursor.begin(), cursor.end(), [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_';
                  });
  if (!ok) return InvalidField(std::string(field), "is not a cursor this list returned");
  return Status::Ok();
}

}  // namespace milkyhoop::org
