#include "milkyhoop/http/problem.hpp"

#include "milkyhoop/core/json_escape.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::http {
namespace {

std::string_view TitleFor(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status < 500 ? "Client Error" : "Server Error";
  }
}

std::string_view CodeFor(StatusCode c) {
  switch (c) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return code::kInvalidArgument;
    case StatusCode::kUnauthenticated:
      return code::kUnauthenticated;
    case StatusCode::kPermissionDenied:
      return code::kPermissionDenied;
    case StatusCode::kNotFound:
      return code::kNotFound;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
      return code::kConflict;
    case StatusCode::kFailedPrecondition:
      return code::kFailedPrecondition;
    case StatusCode::kResourceExhausted:
      return code::kRateLimited;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled:
      return code::kUnavailable;
    default:
      return code::kInternal;
  }
}

}  // namespace

int HttpStatusFor(StatusCode c) {
  switch (c) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled:
      return 503;
    default:
      return 500;
  }
}

Response Problem(int status, std::string_view code, std::string_view detail,
                 const std::vector<FieldError>& errors) {
  std::string body;
  body.reserve(160 + detail.size());
  body += "{\"type\":\"urn:milkyhoop:problem:";
  body += code;
  body += "\",\"title\":\"";
  body += TitleFor(status);
  body += "\",\"status\":";
  body += std::to_string(status);
  body += ",\"detail\":\"";
  AppendJsonEscaped(body, detail);
  body += "\",\"code\":\"";
  body += code;
  body += '"';
  if (!errors.empty()) {
    body += ",\"errors\":[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i) body += ',';
      body += "{\"field\":\"";
      AppendJsonEscaped(body, errors[i].field);
      body += "\",\"message\":\"";
      AppendJsonEscaped(body, errors[i].message);
      body += "\"}";
    }
    body += ']';
  }
  body += '}';
  Response r = Response::Json(status, std::move(body));
  r.content_type = "application/problem+json";
  if (status == 401) r.SetHeader("WWW-Authenticate", "Bearer");
  return r;
}

Response ProblemFromStatus(const Status& status) {
  const int http = HttpStatusFor(status.code());
  if (http >= 500 && http != 503) {
    // The message may hold internals (SQL, paths): log it, answer generically.
    MH_LOG_ERROR("internal error", {"status", status.ToString()});
    return Problem(http, code::kInternal, "internal error; see the server log for this request id");
  }
  return Problem(http, CodeFor(status.code()), status.message(), status.field_errors());
}

}  // namespace milkyhoop::http
