// Routes of organisations: POST/GET /v1/orgs, GET/PATCH/DELETE /v1/orgs/{org_id}.
// API keys may read an organisation (org:read scope); changing one needs a user.

#include <nlohmann/json.hpp>
#include <variant>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/org/validation.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

const char* const kOrgSchema = R"({
  "type": "object",
  "required": ["id", "name", "slug", "role", "created_at"],
  "properties": {
    "id": {"type": "string"},
    "name": {"type": "string"},
    "slug": {"type": "string", "description": "Unique, derived from the name at creation."},
    "role": {"type": ["string", "null"], "enum": ["owner", "admin", "member", "viewer", null],
             "description": "The caller's role; null for an API key."},
    "created_at": {"type": "string", "format": "date-time"}
  }
})";

const char* const kNameBodySchema = R"({
  "type": "object",
  "required": ["name"],
  "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100}}
})";

json OrgJson(const org::v1::Org& org, const std::string& role) {
  return {{"id", org.id()},
          {"name", org.name()},
          {"slug", org.slug()},
          {"role", role.empty() ? json(nullptr) : json(role)},
          {"created_at", FormatTimestamp(org.created_at_ms())}};
}

// The "name" of a create or rename body, or the 400 answering it.
std::variant<std::string, http::Response> ReadName(const http::Request& request) {
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  std::optional<std::string> name = in.RequiredString("name");
  if (name) {
    auto valid = org::ValidateName("name", *name);
    in.Check(valid.status());
    if (valid.ok()) name = *valid;
  }
  if (!in.ok()) return in.Problem();
  return std::move(*name);
}

http::Response CreateOrg(org::OrgService& orgs, http::Request& request) {
  if (!request.principal) return MissingPrincipalProblem();
  auto name = ReadName(request);
  if (auto* problem = std::get_if<http::Response>(&name)) return std::move(*problem);
  org::v1::CreateOrgRequest req;
  req.set_name(std::get<std::string>(name));
  *req.mutable_audit() = AuditContextFrom(request);
  auto created = orgs.CreateOrg(req);
  if (!created.ok()) return http::ProblemFromStatus(created.status());
  http::Response response = http::JsonResponse(201, OrgJson(created->org(), created->role()));
  response.SetHeader("Location", "/v1/orgs/" + created->org().id());
  return response;
}

http::Response ListOrgs(org::OrgService& orgs, http::Request& request) {
  if (!request.principal) return MissingPrincipalProblem();
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  org::v1::ListOrgsRequest req;
  req.set_user_id(request.principal->subject_id);
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = orgs.ListOrgs(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& item : listed->items()) items.push_back(OrgJson(item.org(), item.role()));
  return http::JsonResponse(
      200, {{"items", std::move(items)},
            {"next_cursor",
             listed->next_cursor().empty() ? json(nullptr) : json(listed->next_cursor())}});
}

http::Response GetOrg(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kOrgRead);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  org::v1::GetOrgRequest req;
  req.set_org_id(org_id);
  auto got = orgs.GetOrg(req);
  if (!got.ok()) return http::ProblemFromStatus(got.status());
  return http::JsonResponse(200, OrgJson(got->org(), allowed->role()));
}

http::Response RenameOrg(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kOrgUpdate);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  auto name = ReadName(request);
  if (auto* problem = std::get_if<http::Response>(&name)) return std::move(*problem);
  org::v1::RenameOrgRequest req;
  req.set_org_id(org_id);
  req.set_name(std::get<std::string>(name));
  *req.mutable_audit() = AuditContextFrom(request);
  auto renamed = orgs.RenameOrg(req);
  if (!renamed.ok()) return http::ProblemFromStatus(renamed.status());
  return http::JsonResponse(200, OrgJson(renamed->org(), allowed->role()));
}

http::Response DeleteOrg(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kOrgDelete);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  org::v1::DeleteOrgRequest req;
  req.set_org_id(org_id);
  *req.mutable_audit() = AuditContextFrom(request);
  auto deleted = orgs.DeleteOrg(req);
  if (!deleted.ok()) return http::ProblemFromStatus(deleted.status());
  return http::Response::NoContent();
}

http::Route OrgRoute(std::string method, std::string path, std::string operation_id,
                     std::string summary, http::AuthPolicy auth, std::string_view permission) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Organisations", auth, permission);
}

}  // namespace

Status RegisterOrganisationRoutes(http::Router& router, org::OrgService& orgs) {
  {
    http::Route r = OrgRoute("POST", "/v1/orgs", "createOrg",
                             "Create an organisation; the caller becomes its owner",
                             http::AuthPolicy::kUser, "");
    r.request_schema = kNameBodySchema;
    r.responses = {{201, "Created; Location names the organisation", kOrgSchema},
                   ProblemDoc(400, "A field is missing or invalid")};
    r.handler = [&orgs](http::Request& req) { return CreateOrg(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        OrgRoute("GET", "/v1/orgs", "listOrgs", "List the organisations the caller belongs to",
                 http::AuthPolicy::kUser, "");
    r.params = PageParamDocs();
    r.responses = {{200, "The caller's organisations with their role", ListSchema(kOrgSchema)},
                   ProblemDoc(400, "limit or cursor is invalid")};
    r.handler = [&orgs](http::Request& req) { return ListOrgs(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = OrgRoute("GET", "/v1/orgs/{org_id}", "getOrg", "Get an organisation",
                             http::AuthPolicy::kUserOrApiKey, org::perm::kOrgRead);
    r.responses = {{200, "The organisation", kOrgSchema},
                   ProblemDoc(404, "No such organisation, or the caller is not a member")};
    r.handler = [&orgs](http::Request& req) { return GetOrg(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = OrgRoute("PATCH", "/v1/orgs/{org_id}", "renameOrg",
                             "Rename an organisation (its slug stays)", http::AuthPolicy::kUser,
                             org::perm::kOrgUpdate);
    r.request_schema = kNameBodySchema;
    r.responses = {{200, "The renamed organisation", kOrgSchema},
                   ProblemDoc(400, "A field is missing or invalid"),
                   ProblemDoc(403, "The caller's role lacks org:update"),
                   ProblemDoc(404, "No such organisation, or the caller is not a member")};
    r.handler = [&orgs](http::Request& req) { return RenameOrg(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = OrgRoute("DELETE", "/v1/orgs/{org_id}", "deleteOrg",
                             "Delete an organisation (owners only); its API keys stop working",
                             http::AuthPolicy::kUser, org::perm::kOrgDelete);
    r.responses = {{204, "Deleted", ""},
                   ProblemDoc(403, "The caller is not an owner"),
                   ProblemDoc(404, "No such organisation, or the caller is not a member")};
    r.handler = [&orgs](http::Request& req) { return DeleteOrg(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

Status RegisterOrgRoutes(http::Router& router, org::OrgService& orgs, UserDirectory& users) {
  MH_TRY(RegisterOrganisationRoutes(router, orgs));
  MH_TRY(RegisterMemberRoutes(router, orgs, users));
  return RegisterApiKeyRoutes(router, orgs);
}

}  // namespace milkyhoop::gateway
