// Routes of the audit log: GET /v1/orgs/{org_id}/audit-events and .../audit-events/verify.
// Readable by users whose role holds audit:read and by API keys with that scope.

#include "milkyhoop/gateway/audit_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFilterBytes = 200;

const char* const kEventSchema = R"({
  "type": "object",
  "required": ["id", "seq", "at", "actor_id", "action", "target_type", "target_id", "ip",
               "result", "hash"],
  "properties": {
    "id": {"type": "string"},
    "seq": {"type": "integer", "description": "Position in the organisation's chain."},
    "at": {"type": "string", "format": "date-time", "description": "When the action happened."},
    "actor_id": {"type": "string"},
    "action": {"type": "string", "examples": ["org.created", "member.added", "apikey.revoked"]},
    "target_type": {"type": "string"},
    "target_id": {"type": "string"},
    "ip": {"type": "string"},
    "user_agent": {"type": "string"},
    "result": {"type": "string", "enum": ["success", "failure"]},
    "request_id": {"type": "string"},
    "prev_hash": {"type": "string"},
    "hash": {"type": "string", "description": "SHA-256 (hex) chaining this event to the previous one."}
  }
})";

const char* const kVerifySchema = R"({
  "type": "object",
  "required": ["ok", "count"],
  "properties": {
    "ok": {"type": "boolean"},
    "count": {"type": "integer", "description": "Events verified (before the first bad one when not ok)."},
    "head_hash": {"type": ["string", "null"], "description": "When ok: hash of the newest event; keep it elsewhere to detect removal of the newest events."},
    "first_bad_id": {"type": ["string", "null"], "description": "When not ok: the first event that does not match the chain; null when the newest events were removed (reason head)."},
    "reason": {"type": "string", "enum": ["hash", "prev_hash", "seq", "head"]}
  }
})";

json EventJson(const audit::v1::AuditEvent& e) {
  const audit::v1::AuditRecord& r = e.record();
  return {{"id", e.id()},
          {"seq", e.seq()},
          {"at", FormatTimestamp(r.at_ms())},
          {"actor_id", r.actor_id()},
          {"action", r.action()},
          {"target_type", r.target_type()},
          {"target_id", r.target_id()},
          {"ip", r.ip()},
          {"user_agent", r.user_agent()},
          {"result", r.result()},
          {"request_id", r.request_id()},
          {"prev_hash", e.prev_hash()},
          {"hash", e.hash()}};
}

http::Response ListEvents(org::OrgService& orgs, audit::AuditService& audit,
                          http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kAuditRead);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());

  audit::v1::ListAuditEventsRequest req;
  req.set_org_id(org_id);
  std::vector<FieldError> errors;
  auto text_filter = [&](const char* name) -> std::string {
    std::optional<std::string> v = request.QueryParam(name);
    if (!v) return {};
    // Printable ASCII like every id and action name; anything else cannot match (and would not
    // be valid UTF-8 on the way to the service).
    const bool printable =
        std::all_of(v->begin(), v->end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
    if (v->size() > kMaxFilterBytes || !printable) {
      errors.push_back({name, "must be at most " + std::to_string(kMaxFilterBytes) +
                                  " printable ASCII characters"});
      return {};
    }
    return *v;
  };
  req.set_action(text_filter("action"));
  req.set_actor_id(text_filter("actor_id"));
  for (const char* name : {"from", "to"}) {
    std::optional<std::string> v = request.QueryParam(name);
    if (!v) continue;
    std::optional<std::int64_t> ms = ParseTimestamp(*v);
    if (!ms || *ms < 0) {
      errors.push_back(
          {name, "must be an RFC 3339 date-time after 1970, e.g. 2024-05-01T00:00:00Z"});
      continue;
    }
    if (std::string_view(name) == "from") {
      req.set_from_ms(*ms);
    } else {
      req.set_to_ms(*ms);
    }
  }
  auto page = ParsePageParams(request);
  if (!page.ok()) {
    for (const FieldError& e : page.status().field_errors()) errors.push_back(e);
  } else {
    req.set_limit(page->limit);
    req.set_cursor(page->cursor);
  }
  if (!errors.empty()) {
    return http::Problem(400, http::code::kInvalidArgument,
                         errors[0].field + ": " + errors[0].message, errors);
  }

  auto listed = audit.ListEvents(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& e : listed->items()) items.push_back(EventJson(e));
  return http::JsonResponse(
      200, {{"items", std::move(items)},
            {"next_cursor",
             listed->next_cursor().empty() ? json(nullptr) : json(listed->next_cursor())}});
}

http::Response VerifyChain(org::OrgService& orgs, audit::AuditService& audit,
                           http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kAuditRead);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  audit::v1::VerifyChainRequest req;
  req.set_org_id(org_id);
  auto verified = audit.VerifyChain(req);
  if (!verified.ok()) return http::ProblemFromStatus(verified.status());
  if (verified->ok()) {
    return http::JsonResponse(
        200, {{"ok", true},
              {"count", verified->count()},
              {"head_hash",
               verified->head_hash().empty() ? json(nullptr) : json(verified->head_hash())}});
  }
  return http::JsonResponse(
      200, {{"ok", false},
            {"count", verified->count()},
            {"first_bad_id",
             verified->first_bad_id().empty() ? json(nullptr) : json(verified->first_bad_id())},
            {"reason", verified->reason()}});
}

}  // namespace

Status RegisterAuditRoutes(http::Router& router, org::OrgService& orgs,
                           audit::AuditService& audit) {
  const http::ResponseDoc forbidden = ProblemDoc(403, "The caller lacks audit:read");
  const http::ResponseDoc not_found =
      ProblemDoc(404, "No such organisation, or the caller is not a member");
  {
    http::Route r = MakeOrgRoute("GET", "/v1/orgs/{org_id}/audit-events", "listAuditEvents",
                                 "List the organisation's audit events, newest first", "Audit",
                                 http::AuthPolicy::kUserOrApiKey, org::perm::kAuditRead);
    r.params = {{.name = "action", .description = "Only events of this action, e.g. member.added."},
                {.name = "actor_id", .description = "Only events by this user or API key."},
                {.name = "from",
                 .schema = R"({"type":"string","format":"date-time"})",
                 .description = "Only events at or after this time (RFC 3339)."},
                {.name = "to",
                 .schema = R"({"type":"string","format":"date-time"})",
                 .description = "Only events before this time (RFC 3339)."}};
    for (http::ParamDoc& p : PageParamDocs()) r.params.push_back(std::move(p));
    r.responses = {{200, "Audit events", ListSchema(kEventSchema)},
                   ProblemDoc(400, "A query parameter is invalid"),
                   forbidden,
                   not_found};
    r.handler = [&orgs, &audit](http::Request& req) { return ListEvents(orgs, audit, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MakeOrgRoute("GET", "/v1/orgs/{org_id}/audit-events/verify", "verifyAuditChain",
                     "Recompute the organisation's audit hash chain and report the first mismatch",
                     "Audit", http::AuthPolicy::kUserOrApiKey, org::perm::kAuditRead);
    r.responses = {{200, "The verdict", kVerifySchema}, forbidden, not_found};
    r.handler = [&orgs, &audit](http::Request& req) { return VerifyChain(orgs, audit, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
