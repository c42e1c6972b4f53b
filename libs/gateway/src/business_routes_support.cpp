// Helpers shared by the business routes (declared in business_routes.hpp).

#include <limits>
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {

const char kMoneySchema[] = R"({
  "type": "object",
  "required": ["amount", "currency"],
  "description": "An integer amount in the currency's minor unit (IDR: 45000 = Rp 45.000).",
  "properties": {
    "amount": {"type": "integer", "format": "int64"},
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "example": "IDR"}
  }
})";

namespace {

std::variant<BusinessAccess, http::Response> Authorize(org::OrgService& orgs,
                                                       const http::Request& request,
                                                       const business::v1::LocateResponse& where,
                                                       std::string_view permission) {
  auto allowed =
      AuthorizeOrgRequest(orgs, request, where.org_id(), permission, where.business_id());
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  return BusinessAccess{where.org_id(), where.business_id(), request.principal->subject_id};
}

}  // namespace

std::variant<BusinessAccess, http::Response> AuthorizeBusiness(
    org::OrgService& orgs, business::BusinessService& businesses, const http::Request& request,
    std::string_view business_id, std::string_view permission) {
  if (!request.principal) return MissingPrincipalProblem();
  business::v1::LocateRequest req;
  req.set_business_id(std::string(business_id));
  auto where = businesses.Locate(req);
  if (!where.ok()) {
    if (where.status().code() == StatusCode::kInvalidArgument) {
      return http::Problem(404, http::code::kNotFound, "business not found");
    }
    return http::ProblemFromStatus(where.status());
  }
  return Authorize(orgs, request, *where, permission);
}

std::variant<BusinessAccess, http::Response> AuthorizeTransaction(
    org::OrgService& orgs, business::BusinessService& businesses, const http::Request& request,
    std::string_view transaction_id, std::string_view permission) {
  if (!request.principal) return MissingPrincipalProblem();
  business::v1::LocateRequest req;
  req.set_transaction_id(std::string(transaction_id));
  auto where = businesses.Locate(req);
  if (!where.ok()) {
    if (where.status().code() == StatusCode::kInvalidArgument) {
      return http::Problem(404, http::code::kNotFound, "transaction not found");
    }
    return http::ProblemFromStatus(where.status());
  }
  return Authorize(orgs, request, *where, permission);
}

bool Has(const nlohmann::json& body, std::string_view field) {
  auto it = body.find(field);
  return it != body.end() && !it->is_null();
}

std::optional<std::int64_t> ReadInt(BodyReader& in, const nlohmann::json& body,
                                    std::string_view field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) in.Add(std::string(field), "is required");
    return std::nullopt;
  }
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      in.Add(std::string(field), "is beyond the 64-bit integer range");
      return std::nullopt;
    }
    return static_cast<std::int64_t>(v);
  }
  if (it->is_number_integer()) return it->get<std::int64_t>();
  // nlohmann parses integers beyond 64 bits as floating point: refuse them, never round.
  in.Add(std::string(field), it->is_number_float() ? "must be an integer within the 64-bit range"
                                                   : "must be an integer");
  return std::nullopt;
}

std::optional<bool> ReadBool(BodyReader& in, const nlohmann::json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    in.Add(std::string(field), "must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<business::v1::Money> ReadMoney(BodyReader& in, const nlohmann::json& body,
                                             std::string_view field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) in.Add(std::string(field), "is required");
    return std::nullopt;
  }
  if (!it->is_object()) {
    in.Add(std::string(field), "must be an object {amount, currency}");
    return std::nullopt;
  }
  BodyReader inner(*it);
  const std::string prefix = std::string(field) + ".";
  std::optional<std::int64_t> amount = ReadInt(inner, *it, "amount", true);
  std::optional<std::string> currency = inner.RequiredString("currency");
  for (const FieldError& e : inner.errors()) in.Add(prefix + e.field, e.message);
  if (!amount || !currency) return std::nullopt;
  business::v1::Money m;
  m.set_amount(*amount);
  m.set_currency(*currency);
  return m;
}

nlohmann::json MoneyJson(const business::v1::Money& money) {
  return {{"amount", money.amount()}, {"currency", money.currency()}};
}

nlohmann::json OptionalText(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json ListJson(nlohmann::json items, const std::string& next_cursor) {
  return {{"items", std::move(items)}, {"next_cursor", OptionalText(next_cursor)}};
}

http::Route MakeBusinessRoute(std::string method, std::string path, std::string operation_id,
                              std::string summary, std::string_view permission) {
  http::Route r =
      MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id), std::move(summary),
                   "Businesses", http::AuthPolicy::kUserOrApiKey, permission);
  return r;
}

std::vector<http::ResponseDoc> CommonErrorDocs(bool has_body, bool writes) {
  std::vector<http::ResponseDoc> docs;
  if (has_body) docs.push_back(ProblemDoc(400, "A field is missing or invalid; errors[] names it"));
  docs.push_back(ProblemDoc(401, "Missing or invalid credentials"));
  docs.push_back(ProblemDoc(
      403, writes ? "The caller's role lacks the permission" : "The caller lacks the permission"));
  docs.push_back(ProblemDoc(404, "No such resource in an organisation of the caller"));
  return docs;
}

}  // namespace milkyhoop::gateway
