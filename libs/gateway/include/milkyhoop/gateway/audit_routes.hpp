#pragma once
// HTTP routes of the audit log (API.md "Organisations ... audit"):
//   GET /v1/orgs/{org_id}/audit-events?action=&actor_id=&from=&to=&limit=&cursor=
//   GET /v1/orgs/{org_id}/audit-events/verify
// Both need audit:read (owners and admins; API keys with that scope).

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway {

// `orgs` and `audit` must outlive the router.
Status RegisterAuditRoutes(http::Router& router, org::OrgService& orgs, audit::AuditService& audit);

}  // namespace milkyhoop::gateway
