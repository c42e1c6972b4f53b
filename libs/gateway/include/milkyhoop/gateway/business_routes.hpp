#pragma once
// HTTP routes of businesses, products, stock, customers, transactions and reports (API.md
// "Businesses, products, customers, transactions, reports"), over a BusinessService, authorised
// through OrgService.
//
// Every route finds the organisation first — from the path, or by locating the business or
// transaction — and asks OrgService::Authorize before it reads the body: another organisation's
// business answers 404 whatever the body holds, and a viewer's write answers 403. Bodies are
// checked for JSON types here and for values by the service, which names the field either way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway {

// All the routes. `orgs` and `businesses` must outlive the router.
Status RegisterBusinessRoutes(http::Router& router, org::OrgService& orgs,
                              business::BusinessService& businesses);

// The groups RegisterBusinessRoutes adds, one file each.
Status RegisterBusinessProfileRoutes(http::Router& router, org::OrgService& orgs,
                                     business::BusinessService& businesses);
Status RegisterCatalogRoutes(http::Router& router, org::OrgService& orgs,
                             business::BusinessService& businesses);
Status RegisterTransactionRoutes(http::Router& router, org::OrgService& orgs,
                                 business::BusinessService& businesses);
Status RegisterReportRoutes(http::Router& router, org::OrgService& orgs,
                            business::BusinessService& businesses);

// ---- Helpers shared by the business route files (business_routes_support.cpp) ----------------

// The organisation (and business) a request acts in, once authorised.
struct BusinessAccess {
  std::string org_id;
  std::string business_id;
  std::string actor_id;
};

// Locates the business (or the transaction) and authorises `permission` in its organisation;
// the error answer otherwise (404 for absent or another organisation's, 403 for a role lacking
// the permission).
std::variant<BusinessAccess, http::Response> AuthorizeBusiness(
    org::OrgService& orgs, business::BusinessService& businesses, const http::Request& request,
    std::string_view business_id, std::string_view permission);
// In a handler: authorises `permission` on the path's {business_id} and declares `a` (the
// BusinessAccess), or returns the problem answer. One macro for every business-scoped route file.
#define MH_AUTHORIZE_BUSINESS_OR_RETURN(orgs, businesses, request, permission)        \
  auto mh_access_ = ::milkyhoop::gateway::AuthorizeBusiness(                          \
      (orgs), (businesses), (request), (request).Param("business_id"), (permission)); \
  if (auto* mh_problem_ = std::get_if<::milkyhoop::http::Response>(&mh_access_)) {    \
    return std::move(*mh_problem_);                                                   \
  }                                                                                   \
  const ::milkyhoop::gateway::BusinessAccess& a =                                     \
      std::get<::milkyhoop::gateway::BusinessAccess>(mh_access_)
std::variant<BusinessAccess, http::Response> AuthorizeTransaction(
    org::OrgService& orgs, business::BusinessService& businesses, const http::Request& request,
    std::string_view transaction_id, std::string_view permission);

// Typed readers of body fields, recording a field error in `in` on a wrong type. Integers must
// be JSON integers that fit in 64 bits (a larger one is refused, never rounded).
std::optional<std::int64_t> ReadInt(BodyReader& in, const nlohmann::json& body,
                                    std::string_view field, bool required);
std::optional<bool> ReadBool(BodyReader& in, const nlohmann::json& body, std::string_view field);
// {"amount": <int64>, "currency": "IDR"}; absent → nullopt without an error unless required.
std::optional<business::v1::Money> ReadMoney(BodyReader& in, const nlohmann::json& body,
                                             std::string_view field, bool required);
// Whether the field is present and not null.
bool Has(const nlohmann::json& body, std::string_view field);

nlohmann::json MoneyJson(const business::v1::Money& money);
// Empty string → null.
nlohmann::json OptionalText(const std::string& text);
// The JSON list envelope {items, next_cursor}.
nlohmann::json ListJson(nlohmann::json items, const std::string& next_cursor);

// Route with the business routes' common settings (tag "Businesses", users or API keys).
http::Route MakeBusinessRoute(std::string method, std::string path, std::string operation_id,
                              std::string summary, std::string_view permission);

// JSON Schema text of Money and the error documentation every business route shares.
extern const char kMoneySchema[];
std::vector<http::ResponseDoc> CommonErrorDocs(bool has_body, bool writes);

}  // namespace milkyhoop::gateway
