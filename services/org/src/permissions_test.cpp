// The role → permission map as a matrix: every (role, permission) pair is stated here once, so a
// change of the map shows up as a deliberate change of this table.

#include "milkyhoop/org/permissions.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace milkyhoop::org {
namespace {

struct Row {
  std::string_view permission;
  bool owner, admin, member, viewer;
};

// clang-format off
constexpr Row kMatrix[] = {
    //  permission               owner  admin  member viewer
    {perm::kOrgRead,             true,  true,  true,  true},
    {perm::kOrgUpdate,           true,  true,  false, false},
    {perm::kOrgDelete,           true,  false, false, false},
    {perm::kMembersRead,         true,  true,  true,  true},
    {perm::kMembersManage,       true,  true,  false, false},
    {perm::kApiKeysManage,       true,  true,  false, false},
    {perm::kAuditRead,           true,  true,  false, false},
    {perm::kBusinessRead,        true,  true,  true,  true},
    {perm::kBusinessWrite,       true,  true,  true,  false},
    {perm::kKnowledgeRead,       true,  true,  true,  true},
    {perm::kKnowledgeWrite,      true,  true,  true,  false},
    {perm::kTransactionsWrite,   true,  true,  true,  false},
    {perm::kReportsRead,         true,  true,  true,  true},
    {perm::kBotManage,           true,  true,  false, false},
    {perm::kConversationsRead,   true,  true,  true,  true},
    {perm::kConversationsWrite,  true,  true,  true,  false},
    {perm::kAssistantUse,        true,  true,  true,  false},
};
// clang-format on

TEST(PermissionsTest, MatrixMatchesTheMap) {
  ASSERT_EQ(AllPermissions().size(), std::size(kMatrix)) << "a permission is missing here";
  for (const Row& row : kMatrix) {
    SCOPED_TRACE(std::string(row.permission));
    EXPECT_TRUE(IsKnownPermission(row.permission));
    EXPECT_EQ(RoleHasPermission(Role::kOwner, row.permission), row.owner);
    EXPECT_EQ(RoleHasPermission(Role::kAdmin, row.permission), row.admin);
    EXPECT_EQ(RoleHasPermission(Role::kMember, row.permission), row.member);
    EXPECT_EQ(RoleHasPermission(Role::kViewer, row.permission), row.viewer);
  }
}

TEST(PermissionsTest, OwnerHasAllAdminAllButDeleteViewerOnlyReads) {
  EXPECT_EQ(PermissionsOf(Role::kOwner).size(), AllPermissions().size());
  EXPECT_EQ(PermissionsOf(Role::kAdmin).size(), AllPermissions().size() - 1);
  for (const std::string& p : PermissionsOf(Role::kViewer)) {
    EXPECT_TRUE(p.ends_with(":read")) << p;
  }
}

TEST(PermissionsTest, UnknownPermissionIsNobodys) {
  EXPECT_FALSE(IsKnownPermission("org:destroy"));
  EXPECT_FALSE(IsKnownPermission(""));
  for (Role role : AllRoles()) EXPECT_FALSE(RoleHasPermission(role, "org:destroy"));
}

TEST(PermissionsTest, RoleNamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("Owner"));
  EXPECT_FALSE(ParseRole("superuser"));
  EXPECT_FALSE(ParseRole(""));
}

}  // namespace
}  // namespace milkyhoop::org
