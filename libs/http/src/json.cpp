#include "milkyhoop/http/json.hpp"

#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::http {

Result<nlohmann::json> ParseJsonObject(const Request& request) {
  if (request.ContentType() != "application/json") {
    return FailedPrecondition("unsupported_media_type");
  }
  nlohmann::json j = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("request body is not valid JSON");
  if (!j.is_object()) return InvalidArgument("request body must be a JSON object");
  return j;
}

std::optional<Response> ParseJsonBodyOrProblem(const Request& request, nlohmann::json* out) {
  auto parsed = ParseJsonObject(request);
  if (parsed.ok()) {
    *out = std::move(parsed).value();
    return std::nullopt;
  }
  if (parsed.status().code() == StatusCode::kFailedPrecondition) {
    return Problem(415, code::kUnsupportedMediaType,
                   "Content-Type must be application/json, got '" +
                       std::string(request.Header("content-type")) + "'");
  }
  return Problem(400, code::kInvalidArgument, parsed.status().message());
}

Response JsonResponse(int status, const nlohmann::json& body) {
  return Response::Json(status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace milkyhoop::http
