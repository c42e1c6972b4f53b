// Routes of the business reports, answered from the service's daily aggregates:
// GET /v1/businesses/{business_id}/reports/{profit-loss,sales,top-products,low-stock}.

#include <charconv>
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;
namespace bv1 = business::v1;

std::vector<http::ParamDoc> RangeParams() {
  return {{.name = "from",
           .schema = R"({"type":"string","format":"date"})",
           .description = "First day, inclusive, in the business's time zone (default: the first "
                          "day of to's month)."},
          {.name = "to",
           .schema = R"({"type":"string","format":"date"})",
           .description = "Last day, inclusive (default: today in the business's time zone)."}};
}

bv1::ReportRange RangeOf(const BusinessAccess& a, const http::Request& request) {
  bv1::ReportRange range;
  range.set_org_id(a.org_id);
  range.set_business_id(a.business_id);
  range.set_from(request.QueryParam("from").value_or(""));
  range.set_to(request.QueryParam("to").value_or(""));
  return range;
}

// ?limit= of the reports: 1..200; `fallback` when absent.
Result<int> ReportLimit(const http::Request& request, int fallback) {
  auto text = request.QueryParam("limit");
  if (!text) return fallback;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size() || value < 1 ||
      value > 200) {
    return InvalidField("limit", "must be an integer between 1 and 200");
  }
  return value;
}

http::Response ProfitLoss(org::OrgService& orgs, business::BusinessService& businesses,
                          http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kReportsRead);
  bv1::ProfitLossRequest req;
  *req.mutable_range() = RangeOf(a, request);
  auto report = businesses.ProfitLoss(req);
  if (!report.ok()) return http::ProblemFromStatus(report.status());
  return http::JsonResponse(200, {{"revenue", MoneyJson(report->revenue())},
                                  {"cost_of_goods_sold", MoneyJson(report->cost_of_goods_sold())},
                                  {"gross_profit", MoneyJson(report->gross_profit())},
                                  {"expenses", MoneyJson(report->expenses())},
                                  {"net_profit", MoneyJson(report->net_profit())},
                                  {"tax_collected", MoneyJson(report->tax_collected())},
                                  {"purchases", MoneyJson(report->purchases())}});
}

http::Response Sales(org::OrgService& orgs, business::BusinessService& businesses,
                     http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kReportsRead);
  bv1::SalesReportRequest req;
  *req.mutable_range() = RangeOf(a, request);
  req.set_group_by(request.QueryParam("group_by").value_or("day"));
  auto report = businesses.SalesReport(req);
  if (!report.ok()) return http::ProblemFromStatus(report.status());
  json series = json::array();
  for (const auto& p : report->series()) {
    series.push_back({{"period", p.period()},
                      {"revenue", MoneyJson(p.revenue())},
                      {"transactions", p.transactions()}});
  }
  return http::JsonResponse(200, {{"group_by", req.group_by()}, {"series", std::move(series)}});
}

http::Response TopProducts(org::OrgService& orgs, business::BusinessService& businesses,
                           http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kReportsRead);
  auto limit = ReportLimit(request, 10);
  if (!limit.ok()) return http::ProblemFromStatus(limit.status());
  const std::string order = request.QueryParam("order").value_or("desc");
  if (order != "asc" && order != "desc") {
    return http::ProblemFromStatus(InvalidField("order", "must be asc or desc"));
  }
  bv1::TopProductsRequest req;
  *req.mutable_range() = RangeOf(a, request);
  req.set_limit(*limit);
  req.set_ascending(order == "asc");
  auto report = businesses.TopProducts(req);
  if (!report.ok()) return http::ProblemFromStatus(report.status());
  json items = json::array();
  for (const auto& p : report->items()) {
    items.push_back({{"product_id", p.product_id()},
                     {"name", p.name()},
                     {"quantity", p.quantity()},
                     {"revenue", MoneyJson(p.revenue())}});
  }
  return http::JsonResponse(200, {{"items", std::move(items)}});
}

http::Response LowStock(org::OrgService& orgs, business::BusinessService& businesses,
                        http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, org::perm::kReportsRead);
  auto limit = ReportLimit(request, 50);
  if (!limit.ok()) return http::ProblemFromStatus(limit.status());
  bv1::LowStockRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_limit(*limit);
  auto report = businesses.LowStock(req);
  if (!report.ok()) return http::ProblemFromStatus(report.status());
  json items = json::array();
  for (const auto& p : report->items()) {
    items.push_back({{"product_id", p.id()},
                     {"name", p.name()},
                     {"stock", p.stock()},
                     {"min_stock", p.min_stock()},
                     {"unit", p.unit()}});
  }
  return http::JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace

Status RegisterReportRoutes(http::Router& router, org::OrgService& orgs,
                            business::BusinessService& businesses) {
  const std::string m = kMoneySchema;
  struct Spec {
    std::string path, operation_id, summary, schema;
    std::vector<http::ParamDoc> params;
    http::Response (*fn)(org::OrgService&, business::BusinessService&, http::Request&);
  };
  std::vector<http::ParamDoc> sales_params = RangeParams();
  sales_params.push_back(
      {.name = "group_by",
       .schema = R"({"type":"string","enum":["day","week","month"],"default":"day"})",
       .description = "Weeks are ISO weeks (from Monday); period is the "
                      "first day (YYYY-MM-DD), or YYYY-MM for months."});
  std::vector<http::ParamDoc> top_params = RangeParams();
  top_params.push_back({.name = "limit",
                        .schema = R"({"type":"integer","minimum":1,"maximum":200,"default":10})",
                        .description = "How many products."});
  top_params.push_back({.name = "order",
                        .schema = R"({"type":"string","enum":["desc","asc"],"default":"desc"})",
                        .description = "asc gives the slowest first, unsold products included."});
  const std::vector<Spec> specs = {
      {"/v1/businesses/{business_id}/reports/profit-loss", "profitLossReport",
       "Profit and loss over a range of days",
       R"({"type": "object", "required": ["revenue", "cost_of_goods_sold", "gross_profit", "expenses", "net_profit"],
          "description": "revenue = sales net of discounts, before tax; gross_profit = revenue - cost_of_goods_sold (moving average cost at sale time); net_profit = gross_profit - expenses. Purchases become cost only when the goods sell.",
          "properties": {"revenue": )" +
           m + R"(, "cost_of_goods_sold": )" + m + R"(, "gross_profit": )" + m +
           R"(, "expenses": )" + m + R"(, "net_profit": )" + m + R"(, "tax_collected": )" + m +
           R"(, "purchases": )" + m + "}}",
       RangeParams(), ProfitLoss},
      {"/v1/businesses/{business_id}/reports/sales", "salesReport",
       "Sales revenue and number of sales per day, week or month (empty periods included)",
       R"({"type": "object", "required": ["series"], "properties": {"group_by": {"type": "string"},
          "series": {"type": "array", "items": {"type": "object", "properties": {
            "period": {"type": "string"}, "revenue": )" +
           m + R"(, "transactions": {"type": "integer"}}}}}})",
       sales_params, Sales},
      {"/v1/businesses/{business_id}/reports/top-products", "topProductsReport",
       "Best (or, with order=asc, slowest) selling products by quantity",
       R"({"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
          "type": "object", "properties": {"product_id": {"type": "string"}, "name": {"type": "string"},
          "quantity": {"type": "integer"}, "revenue": )" +
           m + "}}}}}",
       top_params, TopProducts},
      {"/v1/businesses/{business_id}/reports/low-stock",
       "lowStockReport",
       "Active products at or under their minimum stock, the emptiest first",
       R"({"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
          "type": "object", "properties": {"product_id": {"type": "string"}, "name": {"type": "string"},
          "stock": {"type": "integer"}, "min_stock": {"type": "integer"}, "unit": {"type": "string"}}}}}})",
       {{.name = "limit",
         .schema = R"({"type":"integer","minimum":1,"maximum":200,"default":50})",
         .description = "How many products."}},
       LowStock},
  };
  for (const Spec& s : specs) {
    http::Route r =
        MakeBusinessRoute("GET", s.path, s.operation_id, s.summary, org::perm::kReportsRead);
    r.params = s.params;
    r.responses = {{200, "The report", s.schema}};
    for (auto& d : CommonErrorDocs(true, false)) r.responses.push_back(std::move(d));
    auto fn = s.fn;
    r.handler = [&orgs, &businesses, fn](http::Request& req) { return fn(orgs, businesses, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway
