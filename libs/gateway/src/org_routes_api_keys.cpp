// Routes of API keys: POST/GET /v1/orgs/{org_id}/api-keys,
// DELETE /v1/orgs/{org_id}/api-keys/{key_id}. Users only: a key cannot mint or list keys.

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/org/validation.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

// The scope vocabulary is the permission map's, so the documentation cannot drift from it.
json ScopeSchema() {
  json names = json::array();
  for (std::string_view p : org::AllPermissions()) names.push_back(p);
  return {{"type", "string"}, {"enum", std::move(names)}};
}

std::string ApiKeySchema() {
  json schema = {
      {"type", "object"},
      {"required",
       {"id", "name", "prefix", "scopes", "business_id", "created_at", "last_used_at", "revoked"}},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"name", {{"type", "string"}}},
        {"prefix",
         {{"type", "string"}, {"description", "The public part of the key: mh_<prefix>_..."}}},
        {"scopes", {{"type", "array"}, {"items", ScopeSchema()}}},
        {"business_id", {{"type", {"string", "null"}}}},
        {"created_by", {{"type", "string"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
        {"last_used_at",
         {{"type", {"string", "null"}},
          {"format", "date-time"},
          {"description", "Updated at most once a minute."}}},
        {"revoked", {{"type", "boolean"}}},
        {"revoked_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}}};
  return schema.dump();
}

std::string CreatedKeySchema() {
  json schema = {
      {"type", "object"},
      {"required", {"id", "name", "key", "prefix", "scopes", "business_id", "created_at"}},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"name", {{"type", "string"}}},
        {"key",
         {{"type", "string"},
          {"description",
           "The secret, shown only in this response: send it as X-API-Key or Bearer."}}},
        {"prefix", {{"type", "string"}}},
        {"scopes", {{"type", "array"}, {"items", ScopeSchema()}}},
        {"business_id", {{"type", {"string", "null"}}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  return schema.dump();
}

std::string CreateKeyRequestSchema() {
  json schema = {
      {"type", "object"},
      {"required", {"name", "scopes"}},
      {"properties",
       {{"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", org::kMaxNameChars}}},
        {"scopes",
         {{"type", "array"},
          {"minItems", 1},
          {"maxItems", org::kMaxScopes},
          {"items", ScopeSchema()},
          {"description", "Permissions the key holds; at most those of the creator's role."}}},
        {"business_id",
         {{"type", {"string", "null"}},
          {"maxLength", org::kMaxBusinessIdBytes},
          {"description", "Limit the key to this business of the organisation."}}}}}};
  return schema.dump();
}

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json TimeOrNull(std::int64_t ms) { return ms == 0 ? json(nullptr) : json(FormatTimestamp(ms)); }

json ApiKeyJson(const org::v1::ApiKey& k) {
  return {{"id", k.id()},
          {"name", k.name()},
          {"prefix", k.prefix()},
          {"scopes", std::vector<std::string>(k.scopes().begin(), k.scopes().end())},
          {"business_id", OrNull(k.business_id())},
          {"created_by", k.created_by()},
          {"created_at", FormatTimestamp(k.created_at_ms())},
          {"last_used_at", TimeOrNull(k.last_used_at_ms())},
          {"revoked", k.revoked()},
          {"revoked_at", TimeOrNull(k.revoked_at_ms())}};
}

http::Response CreateApiKey(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kApiKeysManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return *problem;
  BodyReader in(body);
  std::optional<std::string> name = in.RequiredString("name");
  std::optional<std::vector<std::string>> scopes = in.RequiredStringArray("scopes");
  std::optional<std::string> business_id = in.OptionalString("business_id");
  if (name) {
    auto valid = org::ValidateName("name", *name);
    in.Check(valid.status());
    if (valid.ok()) name = *valid;
  }
  if (scopes) {
    auto valid = org::ValidateScopes("scopes", *scopes);
    in.Check(valid.status());
    if (valid.ok()) scopes = *valid;
  }
  if (business_id) in.Check(org::ValidateBusinessId("business_id", *business_id));
  if (!in.ok()) return in.Problem();

  org::v1::CreateApiKeyRequest req;
  req.set_org_id(org_id);
  req.set_name(*name);
  for (const std::string& s : *scopes) req.add_scopes(s);
  req.set_business_id(*business_id);
  *req.mutable_audit() = AuditContextFrom(request);
  auto created = orgs.CreateApiKey(req);
  if (!created.ok()) return http::ProblemFromStatus(created.status());
  const org::v1::ApiKey& k = created->key();
  http::Response response = http::JsonResponse(
      201, {{"id", k.id()},
            {"name", k.name()},
            {"key", created->secret()},
            {"prefix", k.prefix()},
            {"scopes", std::vector<std::string>(k.scopes().begin(), k.scopes().end())},
            {"business_id", OrNull(k.business_id())},
            {"created_at", FormatTimestamp(k.created_at_ms())}});
  // The secret must not linger in a cache on the way back.
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response ListApiKeys(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kApiKeysManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  org::v1::ListApiKeysRequest req;
  req.set_org_id(org_id);
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = orgs.ListApiKeys(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& k : listed->items()) items.push_back(ApiKeyJson(k));
  return http::JsonResponse(
      200, {{"items", std::move(items)}, {"next_cursor", OrNull(listed->next_cursor())}});
}

http::Response RevokeApiKey(org::OrgService& orgs, http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kApiKeysManage);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  org::v1::RevokeApiKeyRequest req;
  req.set_org_id(org_id);
  req.set_key_id(request.Param("key_id"));
  *req.mutable_audit() = AuditContextFrom(request);
  auto revoked = orgs.RevokeApiKey(req);
  if (!revoked.ok()) return http::ProblemFromStatus(revoked.status());
  return http::Response::NoContent();
}

http::Route KeyRoute(std::string method, std::string path, std::string operation_id,
                     std::string summary) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Organisations", http::AuthPolicy::kUser,
                      org::perm::kApiKeysManage);
}

}  // namespace

Status RegisterApiKeyRoutes(http::Router& router, org::OrgService& orgs) {
  const http::ResponseDoc forbidden = ProblemDoc(403, "The caller's role lacks apikeys:manage");
  const http::ResponseDoc not_found =
      ProblemDoc(404, "No such organisation or key, or the caller is not a member");
  {
    http::Route r = KeyRoute("POST", "/v1/orgs/{org_id}/api-keys", "createApiKey",
                             "Create an API key; its secret is in this response only");
    r.request_schema = CreateKeyRequestSchema();
    r.responses = {{201, "The key with its secret (key)", CreatedKeySchema()},
                   ProblemDoc(400, "A field is missing or invalid"),
                   ProblemDoc(403, "The caller's role lacks apikeys:manage or a scope asked for"),
                   not_found,
                   ProblemDoc(409, "Too many active keys in this organisation")};
    r.handler = [&orgs](http::Request& req) { return CreateApiKey(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = KeyRoute("GET", "/v1/orgs/{org_id}/api-keys", "listApiKeys",
                             "List API keys, revoked ones included (never their secrets)");
    r.params = PageParamDocs();
    r.responses = {{200, "The organisation's keys", ListSchema(ApiKeySchema())},
                   ProblemDoc(400, "limit or cursor is invalid"),
                   forbidden,
                   not_found};
    r.handler = [&orgs](http::Request& req) { return ListApiKeys(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = KeyRoute("DELETE", "/v1/orgs/{org_id}/api-keys/{key_id}", "revokeApiKey",
                             "Revoke an API key at once (revoking twice is fine)");
    r.responses = {{204, "Revoked", ""}, forbidden, not_found};
    r.handler = [&orgs](http::Request& req) { return RevokeApiKey(orgs, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
