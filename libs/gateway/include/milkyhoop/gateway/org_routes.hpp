#pragma once
// HTTP routes of organisations, members and API keys (API.md "Organisations"), and the helpers
// every org-scoped route of the gateway uses: the audit context of a request, the Authorize call
// that answers 404 to non-members and 403 to members without the permission, JSON body reading
// that names each bad field, list paging and timestamps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/gateway/user_directory.hpp"
#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"
#include "milkyhoop/http/route.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway {

// All of: POST/GET /v1/orgs; GET/PATCH/DELETE /v1/orgs/{org_id};
// GET/POST /v1/orgs/{org_id}/members; PATCH/DELETE /v1/orgs/{org_id}/members/{user_id};
// POST/GET /v1/orgs/{org_id}/api-keys; DELETE /v1/orgs/{org_id}/api-keys/{key_id}.
// `orgs` and `users` must outlive the router.
Status RegisterOrgRoutes(http::Router& router, org::OrgService& orgs, UserDirectory& users);

// The three groups RegisterOrgRoutes adds, one file each.
Status RegisterOrganisationRoutes(http::Router& router, org::OrgService& orgs);
Status RegisterMemberRoutes(http::Router& router, org::OrgService& orgs, UserDirectory& users);
Status RegisterApiKeyRoutes(http::Router& router, org::OrgService& orgs);

// ---- Helpers for org-scoped routes ----------------------------------------------------------

// Who acts, from where: the principal's subject, the client address, the User-Agent, the request
// and trace ids. Text is cut to printable ASCII of bounded length (it crosses gRPC as a proto
// string, which must be valid UTF-8).
org::v1::AuditContext AuditContextFrom(const http::Request& request);

// The authenticated principal as the organisation service sees it.
org::v1::Principal OrgPrincipalFrom(const http::Principal& principal);

// OrgService::Authorize for request.principal: kNotFound for a non-member (answer 404, the
// organisation's existence is not revealed), kPermissionDenied for a member without
// `permission` (403), kUnauthenticated when the request has no principal. Call it first in every
// org-scoped handler, before reading the body.
Result<org::v1::AuthorizeResponse> AuthorizeOrgRequest(org::OrgService& orgs,
                                                       const http::Request& request,
                                                       std::string_view org_id,
                                                       std::string_view permission,
                                                       std::string_view business_id = {});

// Reads fields of a JSON object body, recording a field error for each missing or mistyped one
// instead of failing at the first; unknown fields are ignored.
class BodyReader {
 public:
  explicit BodyReader(const nlohmann::json& body) : body_(body) {}

  std::optional<std::string> RequiredString(std::string_view field);
  // Absent or null → "".
  std::optional<std::string> OptionalString(std::string_view field);
  std::optional<std::vector<std::string>> RequiredStringArray(std::string_view field);
  // Records the field errors of a failed validation (a Status from InvalidField).
  void Check(const Status& validation);
  void Add(std::string field, std::string message);

  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // 400 invalid_argument naming every bad field.
  http::Response Problem() const;

 private:
  const nlohmann::json& body_;
  std::vector<FieldError> errors_;
};

// ?limit= (1..200, default 50) and ?cursor=; an error names "limit".
struct PageParams {
  int limit = 0;  // 0: the service's default
  std::string cursor;
};
Result<PageParams> ParsePageParams(const http::Request& request);
// Their OpenAPI documentation, and the schema text of {items: [item], next_cursor}.
std::vector<http::ParamDoc> PageParamDocs();
std::string ListSchema(std::string_view item_schema);

// RFC 3339 UTC with milliseconds: 2024-05-01T10:00:00.000Z.
std::string FormatTimestamp(std::int64_t unix_ms);
// RFC 3339 date-time ("Z" or a numeric offset, optional fraction) → Unix milliseconds.
std::optional<std::int64_t> ParseTimestamp(std::string_view text);

// A route with what every org route shares: the tag, rate class general, blocking execution
// (it calls services that touch a database), a 16 KiB body limit.
http::Route MakeOrgRoute(std::string method, std::string path, std::string operation_id,
                         std::string summary, std::string tag, http::AuthPolicy auth,
                         std::string_view permission);

// 401 for a handler reached without a principal (the auth middleware normally answers first).
http::Response MissingPrincipalProblem();

// A documented error response of a route: an RFC 9457 problem (components/schemas/Problem).
http::ResponseDoc ProblemDoc(int status, std::string description);

}  // namespace milkyhoop::gateway
