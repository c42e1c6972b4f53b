#pragma once
// RFC 9457 problem details with the error codes of API.md. Service Status codes are mapped
// to HTTP here, once, at the edge.
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

// API.md's `code` vocabulary.
namespace code {
inline constexpr std::string_view kInvalidArgument = "invalid_argument";
inline constexpr std::string_view kUnauthenticated = "unauthenticated";
inline constexpr std::string_view kPermissionDenied = "permission_denied";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kConflict = "conflict";
inline constexpr std::string_view kFailedPrecondition = "failed_precondition";
inline constexpr std::string_view kRateLimited = "rate_limited";
inline constexpr std::string_view kPayloadTooLarge = "payload_too_large";
inline constexpr std::string_view kUnsupportedMediaType = "unsupported_media_type";
inline constexpr std::string_view kUnavailable = "unavailable";
inline constexpr std::string_view kInternal = "internal";
inline constexpr std::string_view kMethodNotAllowed = "method_not_allowed";
}  // namespace code

Response Problem(int status, std::string_view code, std::string_view detail,
                 const std::vector<FieldError>& errors = {});
// Maps a service status to its HTTP problem. Internal errors never expose their message.
Response ProblemFromStatus(const Status& status);
int HttpStatusFor(StatusCode code);

}  // namespace milkyhoop::http
