#pragma once
// Row mapping and the lookups several OrgService calls share. Every lookup of a tenant-owned
// table takes the organisation id it is scoped to.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/org/v1/org.pb.h"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::org {

// Columns read by OrgFromRow, in order.
inline constexpr std::string_view kOrgColumns = "o.id, o.name, o.slug, o.created_by, o.created_at";
v1::Org OrgFromRow(const sql::Rows& rows, std::size_t r, std::size_t first_column = 0);

// Columns read by MemberFromRow, in order, over "memberships m LEFT JOIN user_profiles p".
inline constexpr std::string_view kMemberColumns =
    "m.id, m.user_id, m.invite_email, m.role, m.status, m.created_at, p.email, p.name";
inline constexpr std::string_view kMemberFrom =
    "memberships m LEFT JOIN user_profiles p ON p.user_id = m.user_id";
v1::Member MemberFromRow(const sql::Rows& rows, std::size_t r);

// Columns read by ApiKeyFromRow, in order.
inline constexpr std::string_view kApiKeyColumns =
    "id, org_id, name, prefix, scopes, business_id, created_by, created_at, last_used_at, "
    "revoked_at";
v1::ApiKey ApiKeyFromRow(const sql::Rows& rows, std::size_t r);
// api_keys.scopes holds the scopes separated by spaces.
std::vector<std::string> SplitScopes(const std::string& text);

// A live (not deleted) organisation.
Result<std::optional<v1::Org>> FindLiveOrg(sql::Session& s, std::string_view org_id);

// The role of an active member of a live organisation; nullopt when not one.
Result<std::optional<Role>> FindActiveRole(sql::Session& s, std::string_view org_id,
                                           std::string_view user_id);

// The acting user's role, which must grant `permission`: kNotFound when the actor is not an
// active member of a live organisation (its existence is not revealed), kPermissionDenied when
// the role lacks the permission.
Result<Role> RequireActor(sql::Session& s, std::string_view org_id, const v1::AuditContext& audit,
                          std::string_view permission);

// A membership or invitation of org_id, found by user id or by membership id.
Result<std::optional<v1::Member>> FindMember(sql::Session& s, std::string_view org_id,
                                             std::string_view member_id);

Result<std::int64_t> CountActiveOwners(sql::Session& s, std::string_view org_id);

// Takes the organisation row's lock for the rest of the transaction (on PostgreSQL; SQLite
// transactions are serial already), so concurrent membership changes of one organisation
// cannot both pass a "not the last owner" check. Take it first, so the actor's role read after
// it is current too.
Status LockOrg(sql::Session& s, std::string_view org_id, std::int64_t now_ms);

// Records what is known of a user (non-empty fields only).
Status UpsertUserProfile(sql::Session& s, const v1::UserProfile& profile, std::int64_t now_ms);

// Page cursors are the last id of the previous page: [0-9a-z_], at most 64 characters.
Status ValidateCursor(std::string_view field, std::string_view cursor);

}  // namespace milkyhoop::org
