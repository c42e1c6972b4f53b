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
// import over the limits 413; a 503 that says when to retry (the embedding provider is down)
// carries Retry-After.
inline http::Response KnowledgeProblem(const Status& status) {
  if (status.code() == StatusCode::kUnimplemented) {
    return http::Problem(415, http::code::kUnsupportedMediaType, status.message());
  }
  if (status.code() == StatusCode::kResourceExhausted) {
    return http::Problem(413, http::code::kPayloadTooLarge, status.message());
  }
  http::Response response = http::ProblemFromStatus(status);
  if (auto retry = rag::RetryAfterSeconds(status)) {
    response.SetHeader("Retry-After", std::to_string(*retry));
  }
  return response;
}

inline http::Route MakeKnowledgeRoute(std::string method, std::string path,
                                      std::string operation_id, std::string summary,
                                      std::string_view permission) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Knowledge", http::AuthPolicy::kUserOrApiKey, permission);
}

}  // namespace milkyhoop::gateway::rag_routes
