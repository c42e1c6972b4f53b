// Routes of products, their stock ledger and customers, under /v1/businesses/{business_id}.

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

std::string ProductSchema() {
  return std::string(R"({
  "type": "object",
  "required": ["id", "business_id", "name", "price", "cost", "stock", "unit", "min_stock", "active"],
  "properties": {
    "id": {"type": "string"},
    "business_id": {"type": "string"},
    "name": {"type": "string"},
    "sku": {"type": ["string", "null"]},
    "price": )") +
         kMoneySchema + R"(,
    "cost": )" +
         kMoneySchema + R"(,
    "stock": {"type": "integer", "description": "Always the sum of the product's stock ledger."},
    "unit": {"type": "string"},
    "min_stock": {"type": "integer"},
    "category": {"type": ["string", "null"]},
    "description": {"type": ["string", "null"]},
    "active": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}
  }
})";
}

std::string ProductBodySchema(bool create) {
  return std::string(R"({"type": "object",)") +
         (create ? R"( "required": ["name", "price", "stock", "unit"],)" : "") +
         R"( "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 120},
    "sku": {"type": ["string", "null"], "maxLength": 120, "description": "Unique in the business."},
    "price": )" +
         kMoneySchema +
         (create ? R"(,
    "cost": )" + std::string(kMoneySchema) +
                       R"(,
    "stock": {"type": "integer", "minimum": 0, "description": "Opening stock, recorded in the ledger."})"
                 : std::string(R"(,
    "active": {"type": "boolean"})")) +
         R"(,
    "unit": {"type": "string", "maxLength": 120, "example": "pcs"},
    "min_stock": {"type": "integer", "minimum": 0},
    "category": {"type": ["string", "null"], "maxLength": 120},
    "description": {"type": ["string", "null"], "maxLength": 2000}
  }})";
}

const char kAdjustmentSchema[] = R"({
  "type": "object",
  "required": ["id", "product_id", "delta", "reason", "stock_after", "created_at"],
  "properties": {
    "id": {"type": "string"},
    "product_id": {"type": "string"},
    "delta": {"type": "integer"},
    "reason": {"type": "string", "description": "Free text, or opening / sale / purchase / void."},
    "transaction_id": {"type": ["string", "null"]},
    "stock_after": {"type": "integer"},
    "created_by": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"}
  }
})";

const char kCustomerSchema[] = R"({
  "type": "object",
  "required": ["id", "business_id", "name", "created_at"],
  "properties": {
    "id": {"type": "string"},
    "business_id": {"type": "string"},
    "name": {"type": "string"},
    "phone": {"type": ["string", "null"], "description": "Stored encrypted; searchable exactly."},
    "email": {"type": ["string", "null"]},
    "note": {"type": ["string", "null"]},
    "created_at": {"type": "string", "format": "date-time"}
  }
})";

json ProductJson(const bv1::Product& p) {
  return {{"id", p.id()},
          {"business_id", p.business_id()},
          {"name", p.name()},
          {"sku", OptionalText(p.sku())},
          {"price", MoneyJson(p.price())},
          {"cost", MoneyJson(p.cost())},
          {"stock", p.stock()},
          {"unit", p.unit()},
          {"min_stock", p.min_stock()},
          {"category", OptionalText(p.category())},
          {"description", OptionalText(p.description())},
          {"active", p.active()},
          {"created_at", FormatTimestamp(p.created_at_ms())},
          {"updated_at", FormatTimestamp(p.updated_at_ms())}};
}

json AdjustmentJson(const bv1::StockAdjustment& a) {
  return {{"id", a.id()},
          {"product_id", a.product_id()},
          {"delta", a.delta()},
          {"reason", a.reason()},
          {"transaction_id", OptionalText(a.transaction_id())},
          {"stock_after", a.stock_after()},
          {"created_by", a.created_by()},
          {"created_at", FormatTimestamp(a.created_at_ms())}};
}

json CustomerJson(const bv1::Customer& c) {
  return {{"id", c.id()},
          {"business_id", c.business_id()},
          {"name", c.name()},
          {"phone", OptionalText(c.phone())},
          {"email", OptionalText(c.email())},
          {"note", OptionalText(c.note())},
          {"created_at", FormatTimestamp(c.created_at_ms())}};
}

http::Response CreateProduct(org::OrgService& orgs, business::BusinessService& businesses,
                             http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::CreateProductRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  if (auto v = in.RequiredString("name")) req.set_name(*v);
  if (auto v = in.OptionalString("sku")) req.set_sku(*v);
  if (auto v = ReadMoney(in, body, "price", true)) *req.mutable_price() = *v;
  if (auto v = ReadMoney(in, body, "cost", false)) *req.mutable_cost() = *v;
  if (auto v = ReadInt(in, body, "stock", true)) req.set_stock(*v);
  if (auto v = in.RequiredString("unit")) req.set_unit(*v);
  if (auto v = ReadInt(in, body, "min_stock", false)) req.set_min_stock(*v);
  if (auto v = in.OptionalString("category")) req.set_category(*v);
  if (auto v = in.OptionalString("description")) req.set_description(*v);
  if (!in.ok()) return in.Problem();
  auto created = businesses.CreateProduct(req);
  if (!created.ok()) return http::ProblemFromStatus(created.status());
  http::Response response = http::JsonResponse(201, ProductJson(created->product()));
  response.SetHeader("Location",
                     "/v1/businesses/" + a.business_id + "/products/" + created->product().id());
  return response;
}

http::Response ListProducts(org::OrgService& orgs, business::BusinessService& businesses,
                            http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  bv1::ListProductsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_query(request.QueryParam("q").value_or(""));
  return ListPage(
      request, req, [&](const auto& r) { return businesses.ListProducts(r); },
      [](const auto& item) { return ProductJson(item); });
}

http::Response GetProduct(org::OrgService& orgs, business::BusinessService& businesses,
                          http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  bv1::GetProductRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_product_id(request.Param("product_id"));
  auto got = businesses.GetProduct(req);
  if (!got.ok()) return http::ProblemFromStatus(got.status());
  return http::JsonResponse(200, ProductJson(got->product()));
}

http::Response UpdateProduct(org::OrgService& orgs, business::BusinessService& businesses,
                             http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::UpdateProductRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_product_id(request.Param("product_id"));
  req.set_actor_id(a.actor_id);
  if (body.contains("name")) {
    if (auto v = in.RequiredString("name")) req.set_name(*v);
  }
  if (body.contains("unit")) {
    if (auto v = in.RequiredString("unit")) req.set_unit(*v);
  }
  for (const char* field : {"sku", "category", "description"}) {
    if (!body.contains(field)) continue;
    auto v = in.OptionalString(field);
    if (!v) continue;
    if (std::string_view(field) == "sku") req.set_sku(*v);
    if (std::string_view(field) == "category") req.set_category(*v);
    if (std::string_view(field) == "description") req.set_description(*v);
  }
  if (auto v = ReadMoney(in, body, "price", false)) *req.mutable_price() = *v;
  if (auto v = ReadInt(in, body, "min_stock", false)) req.set_min_stock(*v);
  if (auto v = ReadBool(in, body, "active")) req.set_active(*v);
  if (body.contains("stock")) in.Add("stock", "changes only through stock-adjustments");
  if (body.contains("cost")) in.Add("cost", "is the moving average of purchases");
  if (!in.ok()) return in.Problem();
  auto updated = businesses.UpdateProduct(req);
  if (!updated.ok()) return http::ProblemFromStatus(updated.status());
  return http::JsonResponse(200, ProductJson(updated->product()));
}

http::Response DeleteProduct(org::OrgService& orgs, business::BusinessService& businesses,
                             http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  bv1::DeleteProductRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_product_id(request.Param("product_id"));
  req.set_actor_id(a.actor_id);
  auto deleted = businesses.DeleteProduct(req);
  if (!deleted.ok()) return http::ProblemFromStatus(deleted.status());
  return http::Response::NoContent();
}

http::Response AdjustStock(org::OrgService& orgs, business::BusinessService& businesses,
                           http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::AdjustStockRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_product_id(request.Param("product_id"));
  req.set_actor_id(a.actor_id);
  if (auto v = ReadInt(in, body, "delta", true)) req.set_delta(*v);
  if (auto v = in.RequiredString("reason")) req.set_reason(*v);
  if (!in.ok()) return in.Problem();
  auto adjusted = businesses.AdjustStock(req);
  if (!adjusted.ok()) return http::ProblemFromStatus(adjusted.status());
  json out = AdjustmentJson(adjusted->adjustment());
  out["product"] = ProductJson(adjusted->product());
  return http::JsonResponse(201, out);
}

http::Response ListAdjustments(org::OrgService& orgs, business::BusinessService& businesses,
                               http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  bv1::ListStockAdjustmentsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_product_id(request.Param("product_id"));
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = businesses.ListStockAdjustments(req);
  if (!listed.ok()) return http::ProblemFromStatus(listed.status());
  json items = json::array();
  for (const auto& adj : listed->items()) items.push_back(AdjustmentJson(adj));
  return http::JsonResponse(200, ListJson(std::move(items), listed->next_cursor()));
}

http::Response CreateCustomer(org::OrgService& orgs, business::BusinessService& businesses,
                              http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  bv1::CreateCustomerRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  if (auto v = in.RequiredString("name")) req.set_name(*v);
  if (auto v = in.OptionalString("phone")) req.set_phone(*v);
  if (auto v = in.OptionalString("email")) req.set_email(*v);
  if (auto v = in.OptionalString("note")) req.set_note(*v);
  if (!in.ok()) return in.Problem();
  auto created = businesses.CreateCustomer(req);
  if (!created.ok()) return http::ProblemFromStatus(created.status());
  return http::JsonResponse(201, CustomerJson(created->customer()));
}

http::Response ListCustomers(org::OrgService& orgs, business::BusinessService& businesses,
                             http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kBusinessRead);
  bv1::ListCustomersRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_phone(request.QueryParam("phone").value_or(""));
  return ListPage(
      request, req, [&](const auto& r) { return businesses.ListCustomers(r); },
      [](const auto& item) { return CustomerJson(item); });
}

}  // namespace

Status RegisterCatalogRoutes(http::Router& router, org::OrgService& orgs,
                             business::BusinessService& businesses) {
  struct Spec {
    std::string method;
    std::string path;
    std::string operation_id;
    std::string summary;
    std::string_view permission;
    std::string request_schema;
    http::ResponseDoc ok;
    http::Response (*fn)(org::OrgService&, business::BusinessService&, http::Request&);
    std::vector<http::ParamDoc> params;
  };
  const std::string products = "/v1/businesses/{business_id}/products";
  const std::string product = products + "/{product_id}";
  std::vector<http::ParamDoc> search = PageParamDocs();
  search.push_back({.name = "q",
                    .description = "Search by name: every word must occur, ignoring case and "
                                   "accents (\"kopi caf\" finds \"Kopi Gayo Café\")."});
  std::vector<http::ParamDoc> by_phone = PageParamDocs();
  by_phone.push_back({.name = "phone", .description = "Exact lookup by phone number."});
  const std::vector<Spec> specs = {
      {"POST",
       products,
       "createProduct",
       "Create a product with its opening stock",
       org::perm::kBusinessWrite,
       ProductBodySchema(true),
       {201, "Created", ProductSchema()},
       CreateProduct,
       {}},
      {"GET",
       products,
       "listProducts",
       "List or search the products of a business",
       org::perm::kBusinessRead,
       "",
       {200, "A page of products", ListSchema(ProductSchema())},
       ListProducts,
       search},
      {"GET",
       product,
       "getProduct",
       "Get a product",
       org::perm::kBusinessRead,
       "",
       {200, "The product", ProductSchema()},
       GetProduct,
       {}},
      {"PATCH",
       product,
       "updateProduct",
       "Change a product (stock only through stock adjustments)",
       org::perm::kBusinessWrite,
       ProductBodySchema(false),
       {200, "The updated product", ProductSchema()},
       UpdateProduct,
       {}},
      {"DELETE",
       product,
       "deleteProduct",
       "Delete a product (past transactions keep it)",
       org::perm::kBusinessWrite,
       "",
       {204, "Deleted", ""},
       DeleteProduct,
       {}},
      {"POST",
       product + "/stock-adjustments",
       "adjustStock",
       "Add or remove stock with a reason, recorded in the ledger",
       org::perm::kBusinessWrite,
       R"({"type": "object", "required": ["delta", "reason"], "properties": {
          "delta": {"type": "integer", "description": "Non-zero; negative removes stock."},
          "reason": {"type": "string", "minLength": 1, "maxLength": 200}}})",
       {201, "Recorded; with the product's new stock",
        R"({"allOf": [)" + std::string(kAdjustmentSchema) +
            R"(, {"type": "object", "properties": {"product": )" + ProductSchema() + "}}]}"},
       AdjustStock,
       {}},
      {"GET",
       product + "/stock-adjustments",
       "listStockAdjustments",
       "The stock ledger of a product, oldest first",
       org::perm::kBusinessRead,
       "",
       {200, "A page of the ledger", ListSchema(kAdjustmentSchema)},
       ListAdjustments,
       PageParamDocs()},
      {"POST",
       "/v1/businesses/{business_id}/customers",
       "createCustomer",
       "Create a customer",
       org::perm::kBusinessWrite,
       R"({"type": "object", "required": ["name"], "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 120},
          "phone": {"type": ["string", "null"], "maxLength": 32},
          "email": {"type": ["string", "null"], "format": "email"},
          "note": {"type": ["string", "null"], "maxLength": 2000}}})",
       {201, "Created", kCustomerSchema},
       CreateCustomer,
       {}},
      {"GET",
       "/v1/businesses/{business_id}/customers",
       "listCustomers",
       "List customers, or find them by phone",
       org::perm::kBusinessRead,
       "",
       {200, "A page of customers", ListSchema(kCustomerSchema)},
       ListCustomers,
       by_phone},
  };
  for (const Spec& s : specs) {
    http::Route r = MakeBusinessRoute(s.method, s.path, s.operation_id, s.summary, s.permission);
    r.request_schema = s.request_schema;
    r.params = s.params;
    r.responses = {s.ok};
    const bool writes = std::string_view(s.method) != "GET";
    if (std::string_view(s.method) == "POST" || std::string_view(s.method) == "PATCH") {
      r.responses.push_back(ProblemDoc(409, "A unique value is taken, or not enough stock"));
    }
    for (auto& d : CommonErrorDocs(!s.request_schema.empty() || !s.params.empty(), writes)) {
      r.responses.push_back(std::move(d));
    }
    auto fn = s.fn;
    r.handler = [&orgs, &businesses, fn](http::Request& req) { return fn(orgs, businesses, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
