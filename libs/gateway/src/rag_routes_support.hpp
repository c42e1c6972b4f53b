#pragma once
// What the knowledge route files share: authorisation through the business, the mapping of the
// rag service's errors, and route defaults.
#include <string>
#include <string_view>
#include <variant>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/rag/rag_service.hpp"

namespace milkyhoop::gateway::rag_routes {

struct Deps {
  org::OrgService& orgs;
  business::BusinessService& businesses;
  rag::RagService& rag;
};

// The service's errors as problems; a document format we do not ingest is 415, a document or
// import over the limits 413.
inline http::Response KnowledgeProblem(const Status& status) {
  if (status.code() == StatusCode::kUnimplemented) {
    return http::Problem(415, http::code::kUnsupportedMediaType, status.message());
  }
  if (status.code() == StatusCode::kResourceExhausted) {
    return http::Problem(413, http::code::kPayloadTooLarge, status.message());
  }
  return http::ProblemFromStatus(status);
}

inline http::Route MakeKnowledgeRoute(std::string method, std::string path,
                                      std::string operation_id, std::string summary,
                                      std::string_view permission) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Knowledge", http::AuthPolicy::kUserOrApiKey, permission);
}

}  // namespace milkyhoop::gateway::rag_routes

// Locates the business of the path and authorises `permission`, or returns the problem.
#define MH_KNOWLEDGE_AUTHORIZE_OR_RETURN(deps, request, permission)                           \
  auto access_ = ::milkyhoop::gateway::AuthorizeBusiness(                                     \
      (deps).orgs, (deps).businesses, (request), (request).Param("business_id"), permission); \
  if (auto* problem_ = std::get_if<::milkyhoop::http::Response>(&access_)) {                  \
    return std::move(*problem_);                                                              \
  }                                                                                           \
  const ::milkyhoop::gateway::BusinessAccess& a =                                             \
      std::get<::milkyhoop::gateway::BusinessAccess>(access_)
