#pragma once
// The one map from roles to permissions. Roles are ordered (viewer < member < admin < owner) and
// each permission names the least role that holds it, so a role holds everything the roles below
// it hold. API keys carry scopes: a subset of these permissions.
//
//   permission          least role   why
//   org:read            viewer
//   org:update          admin
//   org:delete          owner        destroying the tenant is the owner's call alone
//   members:read        viewer
//   members:manage      admin
//   apikeys:manage      admin
//   audit:read          admin        the log holds members' IP addresses and user agents
//   business:read       viewer
//   business:write      member
//   knowledge:read      viewer
//   knowledge:write     member
//   transactions:write  member
//   reports:read        viewer
//   bot:manage          admin        changes what customers are told
//   conversations:read  viewer
//   conversations:write member
//   assistant:use       member

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::org {

enum class Role : std::uint8_t { kViewer = 0, kMember = 1, kAdmin = 2, kOwner = 3 };

// "owner", "admin", "member", "viewer".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// All roles, most powerful first (for documentation and tests).
std::span<const Role> AllRoles();

namespace perm {
inline constexpr std::string_view kOrgRead = "org:read";
inline constexpr std::string_view kOrgUpdate = "org:update";
inline constexpr std::string_view kOrgDelete = "org:delete";
inline constexpr std::string_view kMembersRead = "members:read";
inline constexpr std::string_view kMembersManage = "members:manage";
inline constexpr std::string_view kApiKeysManage = "apikeys:manage";
inline constexpr std::string_view kAuditRead = "audit:read";
inline constexpr std::string_view kBusinessRead = "business:read";
inline constexpr std::string_view kBusinessWrite = "business:write";
inline constexpr std::string_view kKnowledgeRead = "knowledge:read";
inline constexpr std::string_view kKnowledgeWrite = "knowledge:write";
inline constexpr std::string_view kTransactionsWrite = "transactions:write";
inline constexpr std::string_view kReportsRead = "reports:read";
inline constexpr std::string_view kBotManage = "bot:manage";
inline constexpr std::string_view kConversationsRead = "conversations:read";
inline constexpr std::string_view kConversationsWrite = "conversations:write";
inline constexpr std::string_view kAssistantUse = "assistant:use";
}  // namespace perm

// Every permission, in the order of the table above.
std::span<const std::string_view> AllPermissions();
bool IsKnownPermission(std::string_view permission);
// False for an unknown permission.
bool RoleHasPermission(Role role, std::string_view permission);
// The permissions of `role`, in the order of AllPermissions().
std::vector<std::string> PermissionsOf(Role role);

}  // namespace milkyhoop::org
