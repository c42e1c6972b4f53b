// Helpers shared by the auth routes: client facts, body fields, token responses, problems.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "milkyhoop/gateway/auth_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway::auth_routes_detail {
namespace {

using nlohmann::json;

std::string Printable(std::string_view in, std::size_t max) {
  std::string out;
  for (unsigned char c : in.substr(0, max))
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  return out;
}

}  // namespace

const char* const kTokenResponseSchema = R"({
  "type": "object",
  "required": ["user", "access_token", "refresh_token", "token_type", "expires_in"],
  "properties": {
    "user": {"type": "object", "required": ["id", "email", "name"],
             "properties": {"id": {"type": "string"}, "email": {"type": "string", "format": "email"},
                            "name": {"type": "string"}}},
    "access_token": {"type": "string", "description": "JWT for Authorization: Bearer; verify with /.well-known/jwks.json"},
    "refresh_token": {"type": "string", "description": "Opaque, single use: POST /v1/auth/refresh spends it"},
    "token_type": {"type": "string", "enum": ["Bearer"]},
    "expires_in": {"type": "integer", "description": "Seconds the access token is valid"}
  }
})";

const char* const kProblemSchema = R"({"$ref": "#/components/schemas/Problem"})";

ClientInfo ClientInfoFrom(const http::Request& request) {
  return {Printable(request.remote_ip, 64), Printable(request.Header("user-agent"), 256),
          Printable(request.request_id, 128)};
}

BodyFields::BodyFields(json* body) : body_(body) {}

std::optional<BodyFields> BodyFields::Parse(const http::Request& request, http::Response* problem) {
  auto body = std::make_unique<json>();
  if (auto p = http::ParseJsonBodyOrProblem(request, body.get())) {
    *problem = std::move(*p);
    return std::nullopt;
  }
  return BodyFields(body.release());
}

std::string BodyFields::RequiredString(const char* name) {
  auto it = body_->find(name);
  if (it == body_->end() || it->is_null()) {
    errors_.push_back({name, "is required"});
    return {};
  }
  if (!it->is_string()) {
    errors_.push_back({name, "must be a string"});
    return {};
  }
  return it->get<std::string>();
}

std::string BodyFields::OptionalString(const char* name) {
  auto it = body_->find(name);
  if (it == body_->end() || it->is_null()) return {};
  if (!it->is_string()) {
    errors_.push_back({name, "must be a string"});
    return {};
  }
  return it->get<std::string>();
}

http::Response BodyFields::Problem() const {
  std::string detail = "invalid request body:";
  for (const FieldError& e : errors_) detail += " " + e.field + " " + e.message + ";";
  detail.pop_back();
  return http::Problem(400, http::code::kInvalidArgument, detail, errors_);
}

http::Response TokenResponse(int status, const auth::v1::AuthResponse& tokens) {
  json body = {{"user",
                {{"id", tokens.user().id()},
                 {"email", tokens.user().email()},
                 {"name", tokens.user().name()}}},
               {"access_token", tokens.access_token()},
               {"refresh_token", tokens.refresh_token()},
               {"token_type", tokens.token_type()},
               {"expires_in", tokens.expires_in()}};
  http::Response response = http::JsonResponse(status, body);
  // RFC 6749 5.1: responses holding tokens must not be cached.
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  return response;
}

http::Response AuthProblem(const Status& status) {
  http::Response response = http::ProblemFromStatus(status);
  if (auto retry = auth::RetryAfterSeconds(status)) {
    response.SetHeader("Retry-After", std::to_string(*retry));
  }
  return response;
}

std::string Rfc3339(std::int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];  // generous: the compiler cannot bound tm's fields
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace milkyhoop::gateway::auth_routes_detail
