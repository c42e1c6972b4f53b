// Routes of the owner assistant: owner chat, its turn log, and setup chat.
#include "milkyhoop/gateway/assistant_routes.hpp"

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
namespace av1 = assistant::v1;

// 2,000 characters of text are at most 8 KB of UTF-8, 24 KB when a client escapes every
// character as \uXXXX pairs; beyond 64 KiB the body is refused before it is parsed.
constexpr std::size_t kMaxChatBody = 64 * 1024;

struct Deps {
  org::OrgService& orgs;
  business::BusinessService& businesses;
  assistant::AssistantService& assistant;
};

json ParseObject(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json::object();
}

// {message, session_id?}: the message is checked for type here and for length by the service.
struct ChatBody {
  std::string message;
  std::string session_id;
};
std::optional<http::Response> ReadChatBody(const http::Request& request, ChatBody* out) {
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return problem;
  BodyReader in(body);
  if (auto v = in.RequiredString("message")) out->message = *v;
  if (auto v = in.OptionalString("session_id")) out->session_id = *v;
  if (!in.ok()) return in.Problem();
  return std::nullopt;
}

http::Response OwnerChat(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kAssistantUse);
  ChatBody body;
  if (auto problem = ReadChatBody(request, &body)) return std::move(*problem);
  av1::OwnerChatRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_user_id(a.actor_id);
  req.set_session_id(body.session_id);
  req.set_message(body.message);
  auto answered = deps.assistant.OwnerChat(req);
  if (!answered.ok()) return http::ProblemFromStatus(answered.status());
  json out = {{"session_id", answered->session_id()},
              {"reply", answered->reply()},
              {"intent", answered->intent()},
              {"entities", ParseObject(answered->entities_json())},
              {"language", answered->language()}};
  if (answered->has_action()) {
    out["action"] = {{"type", answered->action().type()},
                     {"data", ParseObject(answered->action().data_json())}};
  }
  return http::JsonResponse(200, out);
}

http::Response ListTurns(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kAuditRead);
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  av1::ListOwnerTurnsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_session_id(std::string(request.QueryParam("session_id").value_or("")));
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = deps.assistant.ListOwnerTurns(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const av1::OwnerTurn& t : listed->items()) {
    json item = {{"id", t.id()},
                 {"session_id", t.session_id()},
                 {"user_id", t.user_id()},
                 {"text", t.text()},
                 {"intent", t.intent()},
                 {"entities", ParseObject(t.entities_json())},
                 {"action", nullptr},
                 {"reply", t.reply()},
                 {"parsed_by", t.parsed_by()},
                 {"at", FormatTimestamp(t.created_at_ms())}};
    if (t.has_action()) {
      item["action"] = {{"type", t.action().type()}, {"data", ParseObject(t.action().data_json())}};
    }
    items.push_back(std::move(item));
  }
  return http::JsonResponse(200, ListJson(std::move(items), listed->next_cursor()));
}

json DraftJson(const av1::BusinessDraft& d) {
  json week = json::array();
  for (const auto& h : d.opening_hours()) {
    week.push_back({{"weekday", h.weekday()}, {"open", h.open()}, {"close", h.close()}});
  }
  json products = json::array();
  for (const auto& p : d.products()) {
    products.push_back(
        {{"name", p.name()}, {"price", {{"amount", p.price()}, {"currency", "IDR"}}}});
  }
  return {{"name", OptionalText(d.name())},
          {"category", OptionalText(d.category())},
          {"address", OptionalText(d.address())},
          {"phone", OptionalText(d.phone())},
          {"opening_hours", OptionalText(d.opening_hours_text())},
          {"opening_hours_week", std::move(week)},
          {"products", std::move(products)},
          {"description", OptionalText(d.description())}};
}

http::Response SetupChat(const Deps& deps, http::Request& request) {
  if (!request.principal) return MissingPrincipalProblem();
  ChatBody body;
  if (auto problem = ReadChatBody(request, &body)) return std::move(*problem);
  av1::SetupChatRequest req;
  req.set_user_id(request.principal->subject_id);
  req.set_session_id(body.session_id);
  req.set_message(body.message);
  *req.mutable_audit() = AuditContextFrom(request);
  auto answered = deps.assistant.SetupChat(req);
  if (!answered.ok()) return http::ProblemFromStatus(answered.status());
  json faqs = json::array();
  for (const auto& f : answered->suggested_faqs()) {
    faqs.push_back({{"question", f.question()}, {"answer", f.answer()}});
  }
  return http::JsonResponse(200, {{"session_id", answered->session_id()},
                                  {"reply", answered->reply()},
                                  {"state", answered->state()},
                                  {"progress", answered->progress()},
                                  {"business_draft", DraftJson(answered->business_draft())},
                                  {"suggested_faqs", std::move(faqs)},
                                  {"done", answered->done()},
                                  {"business_id", OptionalText(answered->business_id())},
                                  {"org_id", OptionalText(answered->org_id())}});
}

const char kChatBodySchema[] = R"({"type": "object", "required": ["message"], "properties": {
  "message": {"type": "string", "minLength": 1, "maxLength": 2000,
              "description": "At most 2,000 characters (code points); longer is 400."},
  "session_id": {"type": "string", "description": "Continue this session; omit to start one."}}})";

const char kOwnerChatSchema[] = R"({
  "type": "object",
  "required": ["session_id", "reply", "intent", "entities", "language"],
  "properties": {
    "session_id": {"type": "string", "description": "Send it back to continue (\"ya\" needs the draft's session)."},
    "reply": {"type": "string"},
    "intent": {"type": "string", "enum": ["record_sale", "record_purchase", "record_expense", "stock_query", "stock_adjust", "price_query", "report_profit", "report_sales", "report_top_products", "report_slow_products", "report_low_stock", "void_last", "confirm", "cancel", "unknown"]},
    "entities": {"type": "object", "description": "Per intent: {items: [{name, quantity, unit_price}]}, {category, amount}, {product}, {product, delta}, {period}, or {}; rupiah integers."},
    "language": {"type": "string", "enum": ["id", "en"]},
    "action": {"type": "object", "required": ["type", "data"], "properties": {
      "type": {"type": "string", "enum": ["transaction_draft", "transaction_posted", "open_pos", "report"]},
      "data": {"type": "object", "description": "transaction_draft: {draft_id, type, items: [{product_id, name, quantity, unit_price, line_total}], total, currency, expires_at}; transaction_posted: {transaction_id, draft_id, type, total, currency, items, replayed}; report: {report, period, from, to, figures…}; open_pos: {}."}}}
  }
})";

const char kTurnSchema[] = R"({"type": "object", "properties": {
  "id": {"type": "string"}, "session_id": {"type": "string"}, "user_id": {"type": "string"},
  "text": {"type": "string"}, "intent": {"type": "string"}, "entities": {"type": "object"},
  "action": {"type": ["object", "null"]}, "reply": {"type": "string"},
  "parsed_by": {"type": "string", "enum": ["rules", "llm"],
                "description": "Which step of the intent cascade read the message"},
  "at": {"type": "string", "format": "date-time"}}})";

const char kSetupChatSchema[] = R"({
  "type": "object",
  "required": ["session_id", "reply", "state", "progress", "business_draft", "suggested_faqs", "done", "business_id"],
  "properties": {
    "session_id": {"type": "string"},
    "reply": {"type": "string"},
    "state": {"type": "string", "enum": ["welcome", "collecting_info", "confirming", "generating_faqs", "review", "done"]},
    "progress": {"type": "integer", "minimum": 0, "maximum": 100},
    "business_draft": {"type": "object", "properties": {
      "name": {"type": ["string", "null"]}, "category": {"type": ["string", "null"]},
      "address": {"type": ["string", "null"]}, "phone": {"type": ["string", "null"]},
      "opening_hours": {"type": ["string", "null"]},
      "opening_hours_week": {"type": "array", "items": {"type": "object", "properties": {
        "weekday": {"type": "integer"}, "open": {"type": "string"}, "close": {"type": "string"}}}},
      "products": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "price": {"type": "object"}}}},
      "description": {"type": ["string", "null"]}}},
    "suggested_faqs": {"type": "array", "items": {"type": "object", "properties": {
      "question": {"type": "string"}, "answer": {"type": "string"}}}},
    "done": {"type": "boolean"},
    "business_id": {"type": ["string", "null"], "description": "Set once done: the business, its products and FAQs exist."},
    "org_id": {"type": ["string", "null"]}
  }
})";

}  // namespace

Status RegisterAssistantRoutes(http::Router& router, org::OrgService& orgs,
                               business::BusinessService& businesses,
                               assistant::AssistantService& assistant) {
  const Deps deps{orgs, businesses, assistant};
  {
    http::Route r =
        MakeOrgRoute("POST", "/v1/businesses/{business_id}/assistant/chat", "assistantChat",
                     "Owner assistant: record sales, purchases and expenses by chat "
                     "(\"jual 10 kaos @45rb\" drafts, \"ya\" posts, \"batal\" drops), "
                     "ask stock, prices and reports",
                     "Assistant", http::AuthPolicy::kUserOrApiKey, org::perm::kAssistantUse);
    r.request_schema = kChatBodySchema;
    r.max_body_bytes = kMaxChatBody;
    r.responses = {{200, "The assistant's answer to this turn", kOwnerChatSchema}};
    for (auto& d : CommonErrorDocs(true, true)) r.responses.push_back(std::move(d));
    r.responses.push_back(ProblemDoc(413, "The body is over 64 KiB"));
    r.handler = [deps](http::Request& req) { return OwnerChat(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MakeOrgRoute("GET", "/v1/businesses/{business_id}/assistant/turns", "listAssistantTurns",
                     "The owner assistant's stored turns (text, intent, entities, "
                     "action, reply), newest first",
                     "Assistant", http::AuthPolicy::kUserOrApiKey, org::perm::kAuditRead);
    r.params = PageParamDocs();
    r.params.push_back({.name = "session_id", .description = "Only this session's turns"});
    r.responses = {{200, "A page of turns", ListSchema(kTurnSchema)}};
    for (auto& d : CommonErrorDocs(true, false)) r.responses.push_back(std::move(d));
    r.handler = [deps](http::Request& req) { return ListTurns(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MakeOrgRoute("POST", "/v1/setup/chat", "setupChat",
                                 "Set up a business by chat: welcome → collecting_info → "
                                 "confirming → generating_faqs → review → done; at done the "
                                 "organisation, business, products and FAQs exist",
                                 "Assistant", http::AuthPolicy::kUser, "");
    r.request_schema = kChatBodySchema;
    r.max_body_bytes = kMaxChatBody;
    r.responses = {{200, "The assistant's answer and the setup's state", kSetupChatSchema},
                   ProblemDoc(400, "The message is missing, empty or over 2,000 characters"),
                   ProblemDoc(401, "Missing or invalid credentials"),
                   ProblemDoc(404, "No such setup session of the caller"),
                   ProblemDoc(413, "The body is over 64 KiB")};
    r.handler = [deps](http::Request& req) { return SetupChat(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
