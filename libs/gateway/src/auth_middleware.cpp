#include "milkyhoop/gateway/auth_middleware.hpp"

#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/http/route.hpp"

namespace milkyhoop::gateway {

namespace {
bool Checks(const http::Request& request) {
  // On public routes credentials, if any, are unused.
  return request.route && request.method != "OPTIONS" &&
         request.route->auth != http::AuthPolicy::kPublic;
}
}  // namespace

bool AuthMiddleware::MayBlock(const http::Request& request) const {
  return Checks(request) && !authenticator_.AnswersFromMemory(request);
}

std::optional<http::Response> AuthMiddleware::Before(http::Request& request) {
  if (!Checks(request)) return std::nullopt;
  const http::AuthPolicy policy = request.route->auth;
  auto result = authenticator_.Authenticate(request);
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kUnauthenticated) {
      return http::Problem(401, http::code::kUnauthenticated, result.status().message());
    }
    return http::ProblemFromStatus(result.status());
  }
  if (!result->has_value()) {
    return http::Problem(401, http::code::kUnauthenticated,
                         "missing credentials: send Authorization: Bearer <token>");
  }
  const http::Principal& p = **result;
  if (policy == http::AuthPolicy::kUser && p.kind != http::Principal::Kind::kUser) {
    return http::Problem(401, http::code::kUnauthenticated,
                         "this route needs a user's access token, not an API key");
  }
  if (policy == http::AuthPolicy::kApiKey && p.kind != http::Principal::Kind::kApiKey) {
    return http::Problem(401, http::code::kUnauthenticated, "this route needs an API key");
  }
  request.principal = **result;
  return std::nullopt;
}

}  // namespace milkyhoop::gateway
