#pragma once
// JSON bodies for handlers: parsing with a clear 400/415, and JSON responses.
#include <nlohmann/json.hpp>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

// Requires Content-Type application/json (415 otherwise: the status carries
// kFailedPrecondition with message "unsupported_media_type" — see ParseJsonBodyOrProblem) and a
// JSON object body.
Result<nlohmann::json> ParseJsonObject(const Request& request);
// As above, but answers the problem response directly.
std::optional<Response> ParseJsonBodyOrProblem(const Request& request, nlohmann::json* out);

Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace milkyhoop::http
