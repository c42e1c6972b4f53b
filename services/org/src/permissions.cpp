#include "milkyhoop/org/permissions.hpp"

#include <algorithm>
#include <array>

namespace milkyhoop::org {
namespace {

struct Rule {
  std::string_view permission;
  Role least_role;
};

// The data of the authorisation model; permissions.hpp explains each choice.
constexpr std::array kRules = {
    Rule{perm::kOrgRead, Role::kViewer},           Rule{perm::kOrgUpdate, Role::kAdmin},
    Rule{perm::kOrgDelete, Role::kOwner},          Rule{perm::kMembersRead, Role::kViewer},
    Rule{perm::kMembersManage, Role::kAdmin},      Rule{perm::kApiKeysManage, Role::kAdmin},
    Rule{perm::kAuditRead, Role::kAdmin},          Rule{perm::kBusinessRead, Role::kViewer},
    Rule{perm::kBusinessWrite, Role::kMember},     Rule{perm::kKnowledgeRead, Role::kViewer},
    Rule{perm::kKnowledgeWrite, Role::kMember},    Rule{perm::kTransactionsWrite, Role::kMember},
    Rule{perm::kReportsRead, Role::kViewer},       Rule{perm::kBotManage, Role::kAdmin},
    Rule{perm::kConversationsRead, Role::kViewer}, Rule{perm::kConversationsWrite, Role::kMember},
    Rule{perm::kAssistantUse, Role::kMember},
};

constexpr std::array<std::string_view, kRules.size()> PermissionNames() {
  std::array<std::string_view, kRules.size()> names{};
  for (std::size_t i = 0; i < kRules.size(); ++i) names[i] = kRules[i].permission;
  return names;
}
constexpr auto kPermissionNames = PermissionNames();

constexpr std::array kRoles = {Role::kOwner, Role::kAdmin, Role::kMember, Role::kViewer};

const Rule* FindRule(std::string_view permission) {
  auto it = std::find_if(kRules.begin(), kRules.end(),
                         [&](const Rule& r) { return r.permission == permission; });
  return it == kRules.end() ? nullptr : &*it;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOwner:
      return "owner";
    case Role::kAdmin:
      return "admin";
    case Role::kMember:
      return "member";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::span<const Role> AllRoles() { return kRoles; }

std::span<const std::string_view> AllPermissions() { return kPermissionNames; }

bool IsKnownPermission(std::string_view permission) { return FindRule(permission) != nullptr; }

bool RoleHasPermission(Role role, std::string_view permission) {
  const Rule* rule = FindRule(permission);
  return rule != nullptr && role >= rule->least_role;
}

std::vector<std::string> PermissionsOf(Role role) {
  std::vector<std::string> out;
  for (const Rule& r : kRules) {
    if (role >= r.least_role) out.emplace_back(r.permission);
  }
  return out;
}

}  // namespace milkyhoop::org
