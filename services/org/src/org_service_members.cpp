// OrgService: members and invitations.

#include <string>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/org/validation.hpp"
#include "org_queries.hpp"
#include "org_service_impl.hpp"

namespace milkyhoop::org {
namespace {

bool IsInvitation(const v1::Member& m) { return m.user_id().empty(); }

// Audit target of a member: the user, or the invitation (which has no user yet).
std::string_view TargetType(const v1::Member& m) {
  return IsInvitation(m) ? "invitation" : "member";
}
std::string_view TargetId(const v1::Member& m) { return IsInvitation(m) ? m.id() : m.user_id(); }

Result<v1::Member> ReloadMember(sql::Session& s, std::string_view org_id,
                                std::string_view member_id) {
  MH_ASSIGN_OR_RETURN(std::optional<v1::Member> m, FindMember(s, org_id, member_id));
  if (!m) return Internal("membership vanished inside its own transaction");
  return std::move(*m);
}

}  // namespace

Result<v1::ListMembersResponse> OrgServiceImpl::ListMembers(const v1::ListMembersRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  MH_TRY(ValidateCursor("cursor", request.cursor()));
  v1::ListMembersResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    out.Clear();
    MH_ASSIGN_OR_RETURN(std::optional<v1::Org> org, FindLiveOrg(s, request.org_id()));
    if (!org) return NotFound("organisation not found");
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT " + std::string(kMemberColumns) + " FROM " + std::string(kMemberFrom) +
                    " WHERE m.org_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
                {request.org_id(), request.cursor(), static_cast<std::int64_t>(limit) + 1}));
    const std::size_t n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
    for (std::size_t r = 0; r < n; ++r) *out.add_items() = MemberFromRow(rows, r);
    if (rows.size() > n) out.set_next_cursor(out.items(static_cast<int>(n) - 1).id());
    return Status::Ok();
  }));
  return out;
}

Result<v1::AddMemberResponse> OrgServiceImpl::AddMember(const v1::AddMemberRequest& request) {
  MH_ASSIGN_OR_RETURN(const std::string email, ValidateEmail("email", request.email()));
  MH_TRY(ValidateRole("role", request.role()));
  const Role role = *ParseRole(request.role());

  v1::AddMemberResponse out;
  AuditEntry entry{.org_id = request.org_id(),
                   .action = "member.added",
                   .target_type = "member",
                   .target_id = request.user().user_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    const std::int64_t now = clock_.NowUnixMillis();
    MH_TRY(LockOrg(tx, request.org_id(), now));
    MH_ASSIGN_OR_RETURN(const Role actor,
                        RequireActor(tx, request.org_id(), request.audit(), perm::kMembersManage));
    if (role == Role::kOwner && actor != Role::kOwner) {
      return PermissionDenied("only an owner can make owners");
    }

    v1::UserProfile user = request.user();
    if (user.user_id().empty()) {
      // The account may have registered after the caller looked (its registration event is
      // already processed): the read model knows it, so no invitation is left dangling.
      MH_ASSIGN_OR_RETURN(
          sql::Rows known,
          tx.Query("SELECT user_id, name FROM user_profiles WHERE email = $1", {email}));
      if (!known.empty()) {
        user.set_user_id(known.Text(0, 0));
        user.set_name(known.Text(0, 1));
      }
    }
    if (user.email().empty()) user.set_email(email);
    user.set_email(NormalizeEmail(user.email()));

    if (!user.user_id().empty()) {
      MH_ASSIGN_OR_RETURN(std::optional<v1::Member> existing,
                          FindMember(tx, request.org_id(), user.user_id()));
      if (existing) return AlreadyExists("already a member of this organisation");
      MH_TRY(UpsertUserProfile(tx, user, now));
      // A pending invitation of the same address is superseded by the membership.
      MH_TRY(tx.Exec("DELETE FROM memberships WHERE org_id = $1 AND invite_email = $2",
                     {request.org_id(), email})
                 .status());
      MH_TRY(tx.Exec("INSERT INTO memberships (id, org_id, user_id, role, status, invited_by, "
                     "created_at, joined_at) VALUES ($1, $2, $3, $4, 'active', $5, $6, $6)",
                     {NewId("mem_"), request.org_id(), user.user_id(), request.role(),
                      request.audit().actor_id(), now})
                 .status());
      MH_ASSIGN_OR_RETURN(*out.mutable_member(),
                          ReloadMember(tx, request.org_id(), user.user_id()));
    } else {
      MH_ASSIGN_OR_RETURN(sql::Rows invited,
                          tx.Query("SELECT id FROM memberships WHERE org_id = $1 AND "
                                   "invite_email = $2",
                                   {request.org_id(), email}));
      if (!invited.empty()) return AlreadyExists("this address is already invited");
      const std::string id = NewId("mem_");
      MH_TRY(tx.Exec("INSERT INTO memberships (id, org_id, invite_email, role, status, "
                     "invited_by, created_at) VALUES ($1, $2, $3, $4, 'invited', $5, $6)",
                     {id, request.org_id(), email, request.role(), request.audit().actor_id(), now})
                 .status());
      MH_ASSIGN_OR_RETURN(*out.mutable_member(), ReloadMember(tx, request.org_id(), id));
    }
    const v1::Member& m = out.member();
    entry.action = IsInvitation(m) ? "member.invited" : "member.added";
    entry.target_type = TargetType(m);
    entry.target_id = TargetId(m);
    return AppendAuditRecord(tx, clock_, request.audit(), entry);
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return out;
}

Result<v1::ChangeRoleResponse> OrgServiceImpl::ChangeRole(const v1::ChangeRoleRequest& request) {
  if (request.member_id().empty()) return InvalidField("member_id", "is required");
  MH_TRY(ValidateRole("role", request.role()));
  const Role role = *ParseRole(request.role());

  v1::ChangeRoleResponse out;
  AuditEntry entry{.org_id = request.org_id(),
                   .action = "member.role_changed",
                   .target_type = "member",
                   .target_id = request.member_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(LockOrg(tx, request.org_id(), clock_.NowUnixMillis()));
    MH_ASSIGN_OR_RETURN(const Role actor,
                        RequireActor(tx, request.org_id(), request.audit(), perm::kMembersManage));
    MH_ASSIGN_OR_RETURN(std::optional<v1::Member> target,
                        FindMember(tx, request.org_id(), request.member_id()));
    if (!target) return NotFound("member not found");
    entry.target_type = TargetType(*target);
    const Role current = ParseRole(target->role()).value_or(Role::kViewer);
    if ((current == Role::kOwner || role == Role::kOwner) && actor != Role::kOwner) {
      return PermissionDenied("only an owner can change an owner's role or make owners");
    }
    if (current == role) {
      *out.mutable_member() = std::move(*target);
      return Status::Ok();
    }
    if (current == Role::kOwner && !IsInvitation(*target)) {
      MH_ASSIGN_OR_RETURN(const std::int64_t owners, CountActiveOwners(tx, request.org_id()));
      if (owners <= 1) {
        return FailedPrecondition(
            "the last owner cannot be demoted; make another member owner first");
      }
    }
    MH_TRY(tx.Exec("UPDATE memberships SET role = $3 WHERE org_id = $1 AND id = $2",
                   {request.org_id(), target->id(), request.role()})
               .status());
    MH_ASSIGN_OR_RETURN(*out.mutable_member(),
                        ReloadMember(tx, request.org_id(), request.member_id()));
    return AppendAuditRecord(tx, clock_, request.audit(), entry);
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return out;
}

Result<v1::RemoveMemberResponse> OrgServiceImpl::RemoveMember(
    const v1::RemoveMemberRequest& request) {
  if (request.member_id().empty()) return InvalidField("member_id", "is required");
  const bool leaving = request.member_id() == request.audit().actor_id();
  AuditEntry entry{.org_id = request.org_id(),
                   .action = leaving ? "member.left" : "member.removed",
                   .target_type = "member",
                   .target_id = request.member_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(LockOrg(tx, request.org_id(), clock_.NowUnixMillis()));
    // Anyone may leave; removing someone else is managing members.
    MH_ASSIGN_OR_RETURN(const Role actor,
                        RequireActor(tx, request.org_id(), request.audit(),
                                     leaving ? perm::kMembersRead : perm::kMembersManage));
    MH_ASSIGN_OR_RETURN(std::optional<v1::Member> target,
                        FindMember(tx, request.org_id(), request.member_id()));
    if (!target) return NotFound("member not found");
    entry.target_type = TargetType(*target);
    if (IsInvitation(*target)) entry.action = "invitation.cancelled";
    if (target->role() == RoleName(Role::kOwner) && !IsInvitation(*target)) {
      if (!leaving && actor != Role::kOwner) {
        return PermissionDenied("only an owner can remove an owner");
      }
      MH_ASSIGN_OR_RETURN(const std::int64_t owners, CountActiveOwners(tx, request.org_id()));
      if (owners <= 1) {
        return FailedPrecondition(leaving ? "the last owner cannot leave; make another member "
                                            "owner first, or delete the organisation"
                                          : "the last owner cannot be removed");
      }
    }
    MH_TRY(tx.Exec("DELETE FROM memberships WHERE org_id = $1 AND id = $2",
                   {request.org_id(), target->id()})
               .status());
    MH_TRY(AppendAuditRecord(tx, clock_, request.audit(), entry));
    if (IsInvitation(*target)) return Status::Ok();
    v1::MemberRemoved removed;
    removed.set_org_id(request.org_id());
    removed.set_user_id(target->user_id());
    return AppendDomainEvent(tx, clock_, kMemberRemovedEvent, request.org_id(), removed,
                             request.audit().trace_id());
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return v1::RemoveMemberResponse();
}

}  // namespace milkyhoop::org
