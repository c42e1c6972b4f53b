// OrgService::Authorize: the one authorisation decision of every org-scoped route.

#include <algorithm>
#include <string>

#include "org_outbox.hpp"
#include "org_queries.hpp"
#include "org_service_impl.hpp"

namespace milkyhoop::org {
namespace {

constexpr std::string_view kUserKind = "user";
constexpr std::string_view kApiKeyKind = "api_key";

}  // namespace

// A member or key of the organisation refused: 403, and an "access.denied" audit record naming
// the permission, so owners see who tried what. (Strangers get 404 and no record: anyone could
// fill a log with those.)
Status OrgServiceImpl::Denied(const v1::AuthorizeRequest& request, std::string message) {
  v1::AuditContext audit = request.audit();
  if (audit.actor_id().empty()) audit.set_actor_id(request.principal().subject_id());
  return AuditRefusal(PermissionDenied(std::move(message)), audit,
                      {.org_id = request.org_id(),
                       .action = "access.denied",
                       .target_type = "permission",
                       .target_id = request.permission()});
}

Result<v1::AuthorizeResponse> OrgServiceImpl::Authorize(const v1::AuthorizeRequest& request) {
  const v1::Principal& p = request.principal();
  if (request.org_id().empty()) return InvalidField("org_id", "is required");
  if (!IsKnownPermission(request.permission())) {
    return InvalidField("permission", "unknown permission '" + request.permission() + "'");
  }
  if (p.subject_id().empty()) return InvalidField("principal.subject_id", "is required");

  if (p.kind() == kUserKind) {
    std::optional<Role> role;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      MH_ASSIGN_OR_RETURN(role, FindActiveRole(s, request.org_id(), p.subject_id()));
      return Status::Ok();
    }));
    // Not a member: the organisation's existence is not revealed.
    if (!role) return NotFound("organisation not found");
    if (!RoleHasPermission(*role, request.permission())) {
      return Denied(request, "your role (" + std::string(RoleName(*role)) + ") lacks " +
                                 request.permission());
    }
    v1::AuthorizeResponse out;
    out.set_role(std::string(RoleName(*role)));
    return out;
  }

  if (p.kind() == kApiKeyKind) {
    // A key lives in its organisation; anything else is someone else's and looks absent.
    if (p.org_id() != request.org_id()) return NotFound("organisation not found");
    bool live = false;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      MH_ASSIGN_OR_RETURN(std::optional<v1::Org> org, FindLiveOrg(s, request.org_id()));
      live = org.has_value();
      return Status::Ok();
    }));
    if (!live) return NotFound("organisation not found");
    if (std::find(p.scopes().begin(), p.scopes().end(), request.permission()) == p.scopes().end()) {
      return Denied(request, "this API key lacks the scope " + request.permission());
    }
    if (!p.business_id().empty()) {
      if (request.business_id().empty()) {
        return Denied(request, "this API key is limited to one business");
      }
      if (request.business_id() != p.business_id()) return NotFound("business not found");
    }
    return v1::AuthorizeResponse();
  }

  return InvalidField("principal.kind", "must be user or api_key");
}

}  // namespace milkyhoop::org
