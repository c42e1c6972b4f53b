// Routes of members and invitations: GET/POST /v1/orgs/{org_id}/members,
// PATCH/DELETE /v1/orgs/{org_id}/members/{user_id}. The path's user_id is a user id, or the
// member id ("mem_...") of a pending invitation, which has no user yet.

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/org/validation.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

const char* const kMemberSchema = R"({
  "type": "object",
  "required": ["id", "user_id", "email", "name", "role", "status", "created_at"],
  "properties": {
    "id": {"type": "string", "description": "Member id; the handle of a pending invitation."},
    "user_id": {"type": ["string", "null"], "description": "null while invited."},
    "email": {"type": ["string", "null"]},
    "name": {"type": ["string", "null"]},
    "role": {"type": "string", "enum": ["owner", "admin", "member", "viewer"]},
    "status": {"type": "string", "enum": ["active", "invited"],
               "description": "invited: the address has no account yet; it becomes active when that address registers."},
    "created_at": {"type": "string", "format": "date-time"}
  }
})";

const char* const kAddMemberSchema = R"({
  "type": "object",
  "required": ["email", "role"],
  "properties": {
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "role": {"type": "string", "enum": ["owner", "admin", "member", "viewer"],
             "description": "Only an owner can grant owner."}
  }
})";

const char* const kChangeRoleSchema = R"({
  "type": "object",
  "required": ["role"],
  "properties": {
    "role": {"type": "string", "enum": ["owner", "admin", "member", "viewer"]}
  }
})";

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json MemberJson(const org::v1::Member& m) {
  return {{"id", m.id()},
          {"user_id", OrNull(m.user_id())},
          {"email", OrNull(m.email())},
          {"name", OrNull(m.name())},
          {"role", m.role()},
          {"status", m.status()},
          {"created_at", FormatTimestamp(m.created_at_ms())}};
}

http::Response ListMembers(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kMembersRead);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  org::v1::ListMembersRequest req;
  req.set_org_id(org_id);
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = orgs.ListMembers(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& m : listed->items()) items.push_back(MemberJson(m));
  return http::JsonResponse(
      200, {{"items", std::move(items)}, {"next_cursor", OrNull(listed->next_cursor())}});
}

http::Response AddMember(org::OrgService& orgs, UserDirectory& users, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kMembersManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return *problem;
  BodyReader in(body);
  std::optional<std::string> email = in.RequiredString("email");
  std::optional<std::string> role = in.RequiredString("role");
  if (email) {
    auto valid = org::ValidateEmail("email", *email);
    in.Check(valid.status());
    if (valid.ok()) email = *valid;
  }
  if (role) in.Check(org::ValidateRole("role", *role));
  if (!in.ok()) return in.Problem();

  org::v1::AddMemberRequest req;
  req.set_org_id(org_id);
  req.set_email(*email);
  req.set_role(*role);
  *req.mutable_audit() = AuditContextFrom(request);
  // An existing account joins at once; an unknown address gets an invitation.
  auto found = users.FindByEmail(*email);
  if (!found.ok()) return http::ProblemFromStatus(found.status());
  if (found->has_value()) {
    const UserRef& user = **found;
    req.mutable_user()->set_user_id(user.id);
    req.mutable_user()->set_email(user.email);
    req.mutable_user()->set_name(user.name);
  }
  auto added = orgs.AddMember(req);
  if (!added.ok()) return http::ProblemFromStatus(added.status());
  return http::JsonResponse(201, MemberJson(added->member()));
}

http::Response ChangeRole(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kMembersManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return *problem;
  BodyReader in(body);
  std::optional<std::string> role = in.RequiredString("role");
  if (role) in.Check(org::ValidateRole("role", *role));
  if (!in.ok()) return in.Problem();
  org::v1::ChangeRoleRequest req;
  req.set_org_id(org_id);
  req.set_member_id(request.Param("user_id"));
  req.set_role(*role);
  *req.mutable_audit() = AuditContextFrom(request);
  auto changed = orgs.ChangeRole(req);
  if (!changed.ok()) return http::ProblemFromStatus(changed.status());
  return http::JsonResponse(200, MemberJson(changed->member()));
}

http::Response RemoveMember(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  const std::string& member_id = request.Param("user_id");
  // Leaving is every member's right; removing someone else is managing members.
  const bool leaving = request.principal && request.principal->subject_id == member_id;
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id,
                                     leaving ? org::perm::kMembersRead : org::perm::kMembersManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  org::v1::RemoveMemberRequest req;
  req.set_org_id(org_id);
  req.set_member_id(member_id);
  *req.mutable_audit() = AuditContextFrom(request);
  auto removed = orgs.RemoveMember(req);
  if (!removed.ok()) return http::ProblemFromStatus(removed.status());
  return http::Response::NoContent();
}

http::Route MemberRoute(std::string method, std::string path, std::string operation_id,
                        std::string summary, http::AuthPolicy auth, std::string_view permission) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Organisations", auth, permission);
}

}  // namespace

Status RegisterMemberRoutes(http::Router& router, org::OrgService& orgs, UserDirectory& users) {
  const http::ResponseDoc not_found =
      ProblemDoc(404, "No such organisation or member, or the caller is not a member");
  {
    http::Route r = MemberRoute("GET", "/v1/orgs/{org_id}/members", "listMembers",
                                "List members and pending invitations",
                                http::AuthPolicy::kUserOrApiKey, org::perm::kMembersRead);
    r.params = PageParamDocs();
    r.responses = {{200, "Members and invitations", ListSchema(kMemberSchema)},
                   ProblemDoc(400, "limit or cursor is invalid"),
                   not_found};
    r.handler = [&orgs](http::Request& req) { return ListMembers(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MemberRoute(
        "POST", "/v1/orgs/{org_id}/members", "addMember",
        "Add a member by email: an existing account joins now, another address is invited",
        http::AuthPolicy::kUser, org::perm::kMembersManage);
    r.request_schema = kAddMemberSchema;
    r.responses = {
        {201, "The member (status active) or invitation (status invited)", kMemberSchema},
        ProblemDoc(400, "A field is missing or invalid"),
        ProblemDoc(403, "The caller cannot manage members, or cannot grant owner"),
        not_found,
        ProblemDoc(409, "Already a member, or already invited")};
    r.handler = [&orgs, &users](http::Request& req) { return AddMember(orgs, users, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MemberRoute("PATCH", "/v1/orgs/{org_id}/members/{user_id}", "changeMemberRole",
                    "Change a member's role", http::AuthPolicy::kUser, org::perm::kMembersManage);
    r.request_schema = kChangeRoleSchema;
    r.responses = {{200, "The member with the new role", kMemberSchema},
                   ProblemDoc(400, "A field is missing or invalid"),
                   ProblemDoc(403, "The caller cannot manage members, or not owners"),
                   not_found,
                   ProblemDoc(409, "The last owner cannot be demoted")};
    r.handler = [&orgs](http::Request& req) { return ChangeRole(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MemberRoute(
        "DELETE", "/v1/orgs/{org_id}/members/{user_id}", "removeMember",
        "Remove a member or cancel an invitation; any member may remove themselves (leave)",
        http::AuthPolicy::kUser, org::perm::kMembersManage);
    r.responses = {{204, "Removed", ""},
                   ProblemDoc(403, "The caller cannot manage members, or not owners"),
                   not_found,
                   ProblemDoc(409, "The last owner cannot be removed or leave")};
    r.handler = [&orgs](http::Request& req) { return RemoveMember(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
