// Routes of transactions: POST/GET /v1/businesses/{business_id}/transactions,
// GET /v1/transactions/{transaction_id}, POST /v1/transactions/{transaction_id}/void.

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/list_page.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
namespace bv1 = business::v1;

// A sale of 200 lines is about 30 KiB of JSON.
constexpr std::size_t kMaxTransactionBody = 128 * 1024;
constexpr std::size_t kMaxIdempotencyKey = 200;

std::string TransactionSchema() {
  const std::string m = kMoneySchema;
  return R"({
  "type": "object",
  "required": ["id", "business_id", "type", "items", "subtotal", "discount", "tax", "total", "occurred_at", "status"],
  "properties": {
    "id": {"type": "string"},
    "business_id": {"type": "string"},
    "type": {"type": "string", "enum": ["sale", "purchase", "expense", "void"],
             "description": "\"void\" is the reversal a void posts."},
    "items": {"type": "array", "items": {"type": "object", "properties": {
      "product_id": {"type": ["string", "null"]},
      "name": {"type": "string"},
      "quantity": {"type": "integer"},
      "unit_price": )" +
         m + R"(,
      "line_total": )" +
         m + R"(}}},
    "subtotal": )" +
         m + R"(,
    "discount": )" +
         m + R"(,
    "tax": )" +
         m + R"(,
    "total": )" +
         m + R"(,
    "cost_of_goods_sold": )" +
         m + R"(,
    "payment_method": {"type": ["string", "null"]},
    "paid": {"type": "boolean"},
    "note": {"type": ["string", "null"]},
    "customer_id": {"type": ["string", "null"]},
    "occurred_at": {"type": "string", "format": "date-time"},
    "status": {"type": "string", "enum": ["posted", "voided"]},
    "reversal_id": {"type": ["string", "null"]},
    "reverses_id": {"type": ["string", "null"]},
    "created_at": {"type": "string", "format": "date-time"},
    "voided_at": {"type": ["string", "null"], "format": "date-time"}
  }
})";
}

std::string PostBodySchema() {
  const std::string m = kMoneySchema;
  return R"({
  "type": "object",
  "required": ["type", "items"],
  "properties": {
    "type": {"type": "string", "enum": ["sale", "purchase", "expense"]},
    "items": {"type": "array", "minItems": 1, "maxItems": 200, "items": {
      "type": "object", "required": ["quantity", "unit_price"], "properties": {
        "product_id": {"type": ["string", "null"], "description": "Sales and purchases of stocked goods move their stock."},
        "name": {"type": "string", "description": "Required without product_id."},
        "quantity": {"type": "integer", "minimum": 1, "maximum": 1000000000},
        "unit_price": )" +
         m + R"(}}},
    "discount": )" +
         m + R"(,
    "tax": )" +
         m + R"(,
    "payment_method": {"type": ["string", "null"], "example": "cash"},
    "paid": {"type": "boolean", "default": true},
    "occurred_at": {"type": "string", "format": "date-time", "description": "Default now; from 2000-01-01 to one day ahead."},
    "note": {"type": ["string", "null"]},
    "customer_id": {"type": ["string", "null"]}
  }
})";
}

json TransactionJson(const bv1::Transaction& t) {
  json items = json::array();
  for (const auto& i : t.items()) {
    items.push_back({{"product_id", OptionalText(i.product_id())},
                     {"name", i.name()},
                     {"quantity", i.quantity()},
                     {"unit_price", MoneyJson(i.unit_price())},
                     {"line_total", MoneyJson(i.line_total())}});
  }
  return {{"id", t.id()},
          {"business_id", t.business_id()},
          {"type", t.type()},
          {"items", std::move(items)},
          {"subtotal", MoneyJson(t.subtotal())},
          {"discount", MoneyJson(t.discount())},
          {"tax", MoneyJson(t.tax())},
          {"total", MoneyJson(t.total())},
          {"cost_of_goods_sold", MoneyJson(t.cost_of_goods_sold())},
          {"payment_method", OptionalText(t.payment_method())},
          {"paid", t.paid()},
          {"note", OptionalText(t.note())},
          {"customer_id", OptionalText(t.customer_id())},
          {"occurred_at", FormatTimestamp(t.occurred_at_ms())},
          {"status", t.status()},
          {"reversal_id", OptionalText(t.reversal_id())},
          {"reverses_id", OptionalText(t.reverses_id())},
          {"created_at", FormatTimestamp(t.created_at_ms())},
          {"voided_at",
           t.voided_at_ms() == 0 ? json(nullptr) : json(FormatTimestamp(t.voided_at_ms()))}};
}

void ReadItems(BodyReader& in, const json& body, bv1::PostTransactionRequest* req) {
  auto it = body.find("items");
  if (it == body.end() || it->is_null()) {
    in.Add("items", "is required");
    return;
  }
  if (!it->is_array()) {
    in.Add("items", "must be an array");
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& line = (*it)[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (!line.is_object()) {
      in.Add(at, "must be an object");
      continue;
    }
    BodyReader one(line);
    bv1::TransactionItem* item = req->add_items();
    if (auto v = one.OptionalString("product_id")) item->set_product_id(*v);
    if (auto v = one.OptionalString("name")) item->set_name(*v);
    if (auto v = ReadInt(one, line, "quantity", true)) item->set_quantity(*v);
    if (auto v = ReadMoney(one, line, "unit_price", true)) *item->mutable_unit_price() = *v;
    for (const FieldError& e : one.errors()) in.Add(at + "." + e.field, e.message);
  }
}

http::Response PostTransaction(org::OrgService& orgs, business::BusinessService& businesses,
                               http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kTransactionsWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::PostTransactionRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  const std::string_view key = request.Header("Idempotency-Key");
  if (request.HasHeader("Idempotency-Key")) {
    bool printable = !key.empty() && key.size() <= kMaxIdempotencyKey;
    for (char c : key) printable = printable && c >= 0x21 && c <= 0x7E;
    if (!printable) in.Add("Idempotency-Key", "must be 1-200 printable ASCII characters");
    req.set_idempotency_key(std::string(key));
  }
  if (auto v = in.RequiredString("type")) req.set_type(*v);
  ReadItems(in, body, &req);
  if (auto v = ReadMoney(in, body, "discount", false)) *req.mutable_discount() = *v;
  if (auto v = ReadMoney(in, body, "tax", false)) *req.mutable_tax() = *v;
  if (auto v = in.OptionalString("payment_method")) req.set_payment_method(*v);
  if (auto v = ReadBool(in, body, "paid")) req.set_paid(*v);
  if (auto v = in.OptionalString("note")) req.set_note(*v);
  if (auto v = in.OptionalString("customer_id")) req.set_customer_id(*v);
  if (auto v = in.OptionalString("occurred_at"); v && !v->empty()) {
    if (auto ms = ParseTimestamp(*v)) {
      // 0 means "now" to the service; a real instant of 1970 is out of range anyway.
      req.set_occurred_at_ms(*ms == 0 ? -1 : *ms);
    } else {
      in.Add("occurred_at", "must be an RFC 3339 date-time");
    }
  }
  if (!in.ok()) return in.Problem();
  auto posted = businesses.PostTransaction(req);
  if (!posted.ok()) return http::ProblemFromStatus(posted.status());
  http::Response response = http::JsonResponse(201, TransactionJson(posted->transaction()));
  response.SetHeader("Location", "/v1/transactions/" + posted->transaction().id());
  if (posted->replayed()) response.SetHeader("Idempotent-Replayed", "true");
  return response;
}

http::Response ListTransactions(org::OrgService& orgs, business::BusinessService& businesses,
                                http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  bv1::ListTransactionsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_type(request.QueryParam("type").value_or(""));
  for (const char* bound : {"from", "to"}) {
    auto text = request.QueryParam(bound);
    if (!text || text->empty()) continue;
    auto ms = ParseTimestamp(*text);
    if (!ms) {
      return http::ProblemFromStatus(InvalidField(bound, "must be an RFC 3339 date-time"));
    }
    if (std::string_view(bound) == "from")
      req.set_from_ms(*ms);
    else
      req.set_to_ms(*ms);
  }
  return ListPage(
      request, req, [&](const auto& r) { return businesses.ListTransactions(r); },
      [](const auto& item) { return TransactionJson(item); });
}

http::Response GetTransaction(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  auto access = AuthorizeTransaction(orgs, businesses, request, request.Param("transaction_id"),
                                     org::perm::kBusinessRead);
  if (auto* problem = std::get_if<http::Response>(&access)) return std::move(*problem);
  const auto& a = std::get<BusinessAccess>(access);
  bv1::GetTransactionRequest req;
  req.set_org_id(a.org_id);
  req.set_transaction_id(request.Param("transaction_id"));
  auto got = businesses.GetTransaction(req);
  if (!got.ok()) return http::ProblemFromStatus(got.status());
  return http::JsonResponse(200, TransactionJson(got->transaction()));
}

http::Response VoidTransaction(org::OrgService& orgs, business::BusinessService& businesses,
                               http::Request& request) {
  auto access = AuthorizeTransaction(orgs, businesses, request, request.Param("transaction_id"),
                                     org::perm::kTransactionsWrite);
  if (auto* problem = std::get_if<http::Response>(&access)) return std::move(*problem);
  const auto& a = std::get<BusinessAccess>(access);
  bv1::VoidTransactionRequest req;
  req.set_org_id(a.org_id);
  req.set_transaction_id(request.Param("transaction_id"));
  req.set_actor_id(a.actor_id);
  if (!request.body.empty()) {  // the body is optional: {reason?}
    json body;
    if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
    BodyReader in(body);
    if (auto v = in.OptionalString("reason")) req.set_reason(*v);
    if (!in.ok()) return in.Problem();
  }
  auto voided = businesses.VoidTransaction(req);
  if (!voided.ok()) return http::ProblemFromStatus(voided.status());
  json out = TransactionJson(voided->transaction());
  out["reversal"] = TransactionJson(voided->reversal());
  return http::JsonResponse(200, out);
}

}  // namespace

Status RegisterTransactionRoutes(http::Router& router, org::OrgService& orgs,
                                 business::BusinessService& businesses) {
  auto bind = [&](auto fn) {
    return [&orgs, &businesses, fn](http::Request& req) { return fn(orgs, businesses, req); };
  };
  {
    http::Route r = MakeBusinessRoute(
        "POST", "/v1/businesses/{business_id}/transactions", "postTransaction",
        "Record a sale, purchase or expense; totals and cost of goods sold are computed here",
        org::perm::kTransactionsWrite);
    r.max_body_bytes = kMaxTransactionBody;
    r.request_schema = PostBodySchema();
    r.params = {{.name = "Idempotency-Key",
                 .in = "header",
                 .description = "A replay with the same key and body returns the first 201 "
                                "body (with Idempotent-Replayed: true); the same key with "
                                "another body answers 409."}};
    r.responses = {{201, "Posted", TransactionSchema()},
                   ProblemDoc(409,
                              "Not enough stock, or the Idempotency-Key was used with "
                              "another body")};
    for (auto& d : CommonErrorDocs(true, true)) r.responses.push_back(std::move(d));
    r.handler = bind(PostTransaction);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MakeBusinessRoute("GET", "/v1/businesses/{business_id}/transactions", "listTransactions",
                          "List transactions, newest first", org::perm::kBusinessRead);
    r.params = PageParamDocs();
    r.params.push_back(
        {.name = "type",
         .schema = R"({"type":"string","enum":["sale","purchase","expense","void"]})",
         .description = "Only transactions of this type."});
    r.params.push_back({.name = "from",
                        .schema = R"({"type":"string","format":"date-time"})",
                        .description = "occurred_at at or after"});
    r.params.push_back({.name = "to",
                        .schema = R"({"type":"string","format":"date-time"})",
                        .description = "occurred_at before"});
    r.responses = {{200, "A page of transactions", ListSchema(TransactionSchema())}};
    for (auto& d : CommonErrorDocs(true, false)) r.responses.push_back(std::move(d));
    r.handler = bind(ListTransactions);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MakeBusinessRoute("GET", "/v1/transactions/{transaction_id}", "getTransaction",
                                      "Get a transaction with its items", org::perm::kBusinessRead);
    r.responses = {{200, "The transaction", TransactionSchema()}};
    for (auto& d : CommonErrorDocs(false, false)) r.responses.push_back(std::move(d));
    r.handler = bind(GetTransaction);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MakeBusinessRoute(
        "POST", "/v1/transactions/{transaction_id}/void", "voidTransaction",
        "Void a transaction: posts a reversal, restores stock, corrects the reports of its day",
        org::perm::kTransactionsWrite);
    r.request_schema =
        R"({"type": "object", "properties": {"reason": {"type": "string", "maxLength": 200}}})";
    r.responses = {
        {200, "The voided transaction, with its reversal under \"reversal\"",
         R"({"allOf": [)" + TransactionSchema() +
             R"(, {"type": "object", "properties": {"reversal": )" + TransactionSchema() + "}}]}"},
        ProblemDoc(409, "Already voided, or a purchase whose goods are sold")};
    for (auto& d : CommonErrorDocs(true, true)) r.responses.push_back(std::move(d));
    r.handler = bind(VoidTransaction);
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
