// Routes of businesses: POST/GET /v1/orgs/{org_id}/businesses,
// GET/PATCH/DELETE /v1/businesses/{business_id}.

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
namespace bv1 = business::v1;

const char kOpeningHoursSchema[] = R"({
  "type": "array", "maxItems": 21,
  "items": {"type": "object", "required": ["weekday", "open", "close"], "properties": {
    "weekday": {"type": "integer", "minimum": 1, "maximum": 7, "description": "1 = Monday"},
    "open": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "08:00"},
    "close": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "21:00"}}}
})";

std::string BusinessSchema() {
  return std::string(R"({
  "type": "object",
  "required": ["id", "org_id", "name", "slug", "language", "currency", "time_zone", "created_at"],
  "properties": {
    "id": {"type": "string"},
    "org_id": {"type": "string"},
    "name": {"type": "string"},
    "slug": {"type": "string", "description": "Globally unique; the public chat URL."},
    "description": {"type": "string"},
    "category": {"type": "string"},
    "address": {"type": ["string", "null"]},
    "phone": {"type": ["string", "null"]},
    "opening_hours": )") +
         kOpeningHoursSchema + R"(,
    "language": {"type": "string", "enum": ["id", "en"]},
    "currency": {"type": "string", "example": "IDR"},
    "time_zone": {"type": "string", "enum": ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura", "UTC"]},
    "allow_negative_stock": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}
  }
})";
}

std::string BusinessBodySchema(bool create) {
  return std::string(R"({
  "type": "object",)") +
         (create ? R"( "required": ["name"],)" : "") + R"(
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 120},)" +
         (create ? R"(
    "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "minLength": 3, "maxLength": 63,
             "description": "Omit to derive it from the name (\"Warung Bu Sari\" → warung-bu-sari, then -2, -3...)."},
    "currency": {"type": "string", "default": "IDR", "description": "Fixed at creation."},
    "time_zone": {"type": "string", "default": "Asia/Jakarta", "description": "Fixed at creation: reports cut days in it."},)"
                 : "") +
         R"(
    "description": {"type": "string", "maxLength": 2000},
    "category": {"type": "string", "maxLength": 120},
    "address": {"type": ["string", "null"], "maxLength": 2000},
    "phone": {"type": ["string", "null"], "maxLength": 32},
    "opening_hours": )" +
         kOpeningHoursSchema + R"(,
    "language": {"type": "string", "enum": ["id", "en"], "default": "id"},
    "allow_negative_stock": {"type": "boolean", "default": false,
                             "description": "Sell beyond the recorded stock instead of answering 409."}
  }
})";
}

json BusinessJson(const bv1::Business& b) {
  json hours = json::array();
  for (const auto& h : b.opening_hours()) {
    hours.push_back({{"weekday", h.weekday()}, {"open", h.open()}, {"close", h.close()}});
  }
  return {{"id", b.id()},
          {"org_id", b.org_id()},
          {"name", b.name()},
          {"slug", b.slug()},
          {"description", b.description()},
          {"category", b.category()},
          {"address", OptionalText(b.address())},
          {"phone", OptionalText(b.phone())},
          {"opening_hours", std::move(hours)},
          {"language", b.language()},
          {"currency", b.currency()},
          {"time_zone", b.time_zone()},
          {"allow_negative_stock", b.allow_negative_stock()},
          {"created_at", FormatTimestamp(b.created_at_ms())},
          {"updated_at", FormatTimestamp(b.updated_at_ms())}};
}

// opening_hours: an array of {weekday, open, close}.
void ReadOpeningHours(BodyReader& in, const json& body,
                      google::protobuf::RepeatedPtrField<bv1::OpeningHours>* out) {
  const json& hours = body.at("opening_hours");
  if (!hours.is_array()) {
    in.Add("opening_hours", "must be an array of {weekday, open, close}");
    return;
  }
  for (std::size_t i = 0; i < hours.size(); ++i) {
    const std::string at = "opening_hours[" + std::to_string(i) + "]";
    if (!hours[i].is_object()) {
      in.Add(at, "must be an object {weekday, open, close}");
      continue;
    }
    BodyReader one(hours[i]);
    auto weekday = ReadInt(one, hours[i], "weekday", true);
    auto open = one.RequiredString("open");
    auto close = one.RequiredString("close");
    for (const FieldError& e : one.errors()) in.Add(at + "." + e.field, e.message);
    if (!weekday || !open || !close) continue;
    bv1::OpeningHours* h = out->Add();
    h->set_weekday(*weekday < 0 || *weekday > 7 ? 0 : static_cast<int>(*weekday));
    h->set_open(*open);
    h->set_close(*close);
  }
}

http::Response CreateBusiness(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kBusinessWrite);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::CreateBusinessRequest req;
  req.set_org_id(org_id);
  req.set_actor_id(request.principal->subject_id);
  if (auto v = in.RequiredString("name")) req.set_name(*v);
  if (auto v = in.OptionalString("slug")) req.set_slug(*v);
  if (auto v = in.OptionalString("description")) req.set_description(*v);
  if (auto v = in.OptionalString("category")) req.set_category(*v);
  if (auto v = in.OptionalString("address")) req.set_address(*v);
  if (auto v = in.OptionalString("phone")) req.set_phone(*v);
  if (auto v = in.OptionalString("language")) req.set_language(*v);
  if (auto v = in.OptionalString("currency")) req.set_currency(*v);
  if (auto v = in.OptionalString("time_zone")) req.set_time_zone(*v);
  if (auto v = ReadBool(in, body, "allow_negative_stock")) req.set_allow_negative_stock(*v);
  if (Has(body, "opening_hours")) ReadOpeningHours(in, body, req.mutable_opening_hours());
  if (!in.ok()) return in.Problem();
  auto created = businesses.CreateBusiness(req);
  if (!created.ok()) return http::ProblemFromStatus(created.status());
  http::Response response = http::JsonResponse(201, BusinessJson(created->business()));
  response.SetHeader("Location", "/v1/businesses/" + created->business().id());
  return response;
}

http::Response ListBusinesses(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  const std::string& org_id = request.Param("org_id");
  auto allowed = AuthorizeOrgRequest(orgs, request, org_id, org::perm::kBusinessRead);
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  bv1::ListBusinessesRequest req;
  req.set_org_id(org_id);
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = businesses.ListBusinesses(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& b : listed->items()) {
    // An API key limited to one business sees only that one.
    if (!request.principal->business_id.empty() && request.principal->business_id != b.id()) {
      continue;
    }
    items.push_back(BusinessJson(b));
  }
  return http::JsonResponse(200, ListJson(std::move(items), listed->next_cursor()));
}

http::Response GetBusiness(org::OrgService& orgs, business::BusinessService& businesses,
                           http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  bv1::GetBusinessRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  auto got = businesses.GetBusiness(req);
  if (!got.ok()) return http::ProblemFromStatus(got.status());
  return http::JsonResponse(200, BusinessJson(got->business()));
}

http::Response UpdateBusiness(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::UpdateBusinessRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  // Present (null clears an optional text), absent (unchanged).
  auto text = [&](const char* field, auto setter) {
    if (body.contains(field)) {
      if (auto v = in.OptionalString(field)) setter(*v);
    }
  };
  if (body.contains("name")) {
    if (auto v = in.RequiredString("name")) req.set_name(*v);
  }
  text("description", [&](const std::string& v) { req.set_description(v); });
  text("category", [&](const std::string& v) { req.set_category(v); });
  text("address", [&](const std::string& v) { req.set_address(v); });
  text("phone", [&](const std::string& v) { req.set_phone(v); });
  if (Has(body, "language")) {
    if (auto v = in.RequiredString("language")) req.set_language(*v);
  }
  if (auto v = ReadBool(in, body, "allow_negative_stock")) req.set_allow_negative_stock(*v);
  if (body.contains("opening_hours")) {
    req.set_replace_opening_hours(true);
    if (Has(body, "opening_hours")) ReadOpeningHours(in, body, req.mutable_opening_hours());
  }
  for (const char* fixed : {"slug", "currency", "time_zone"}) {
    if (body.contains(fixed)) in.Add(fixed, "cannot be changed after creation");
  }
  if (!in.ok()) return in.Problem();
  auto updated = businesses.UpdateBusiness(req);
  if (!updated.ok()) return http::ProblemFromStatus(updated.status());
  return http::JsonResponse(200, BusinessJson(updated->business()));
}

http::Response DeleteBusiness(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  bv1::DeleteBusinessRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  auto deleted = businesses.DeleteBusiness(req);
  if (!deleted.ok()) return http::ProblemFromStatus(deleted.status());
  return http::Response::NoContent();
}

}  // namespace

Status RegisterBusinessProfileRoutes(http::Router& router, org::OrgService& orgs,
                                     business::BusinessService& businesses) {
  auto bind = [&](auto fn) {
    return [&orgs, &businesses, fn](http::Request& req) { return fn(orgs, businesses, req); };
  };
  {
    http::Route r =
        MakeBusinessRoute("POST", "/v1/orgs/{org_id}/businesses", "createBusiness",
                          "Create a business in an organisation", org::perm::kBusinessWrite);
    r.request_schema = BusinessBodySchema(true);
    r.responses = {{201, "Created; Location names the business", BusinessSchema()},
                   ProblemDoc(409, "The slug is taken")};
    for (auto& d : CommonErrorDocs(true, true)) r.responses.push_back(std::move(d));
    r.handler = bind(CreateBusiness);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MakeBusinessRoute("GET", "/v1/orgs/{org_id}/businesses", "listBusinesses",
                          "List the businesses of an organisation", org::perm::kBusinessRead);
    r.params = PageParamDocs();
    r.responses = {{200, "A page of businesses", ListSchema(BusinessSchema())}};
    for (auto& d : CommonErrorDocs(true, false)) r.responses.push_back(std::move(d));
    r.handler = bind(ListBusinesses);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MakeBusinessRoute("GET", "/v1/businesses/{business_id}", "getBusiness",
                                      "Get a business", org::perm::kBusinessRead);
    r.responses = {{200, "The business", BusinessSchema()}};
    for (auto& d : CommonErrorDocs(false, false)) r.responses.push_back(std::move(d));
    r.handler = bind(GetBusiness);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r =
        MakeBusinessRoute("PATCH", "/v1/businesses/{business_id}", "updateBusiness",
                          "Change a business's profile (slug, currency and time zone are fixed)",
                          org::perm::kBusinessWrite);
    r.request_schema = BusinessBodySchema(false);
    r.responses = {{200, "The updated business", BusinessSchema()}};
    for (auto& d : CommonErrorDocs(true, true)) r.responses.push_back(std::move(d));
    r.handler = bind(UpdateBusiness);
    MH_TRY(router.Add(std::move(r)));
  }
  {
    http::Route r = MakeBusinessRoute("DELETE", "/v1/businesses/{business_id}", "deleteBusiness",
                                      "Delete a business (its slug is never reused)",
                                      org::perm::kBusinessWrite);
    r.responses = {{204, "Deleted", ""}};
    for (auto& d : CommonErrorDocs(false, true)) r.responses.push_back(std::move(d));
    r.handler = bind(DeleteBusiness);
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

Status RegisterBusinessRoutes(http::Router& router, org::OrgService& orgs,
                              business::BusinessService& businesses) {
  MH_TRY(RegisterBusinessProfileRoutes(router, orgs, businesses));
  MH_TRY(RegisterCatalogRoutes(router, orgs, businesses));
  MH_TRY(RegisterTransactionRoutes(router, orgs, businesses));
  return RegisterReportRoutes(router, orgs, businesses);
}

}  // namespace milkyhoop::gateway
