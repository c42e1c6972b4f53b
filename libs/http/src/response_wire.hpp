#pragma once
// The head of a buffered HTTP/1.x response (status line and headers) as one string, so the
// response leaves in one gathering write of two buffers (head, body) instead of Beast's
// serializer walking a buffer sequence per header field, a measurable share of a small
// response's cost.
#include <string>

#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

// `version` is 10 or 11. Content-Length is the body's size (for HEAD too); statuses that carry
// no body (1xx, 204, 304) get none, and ResponseCarriesBody says whether to send the body.
// A header whose name is not an HTTP token or whose value holds CR, LF or NUL is dropped: a
// value that came from input must never split the response.
std::string ResponseHead(const Response& response, int version, bool keep_alive);

bool ResponseCarriesBody(const Response& response, bool head_request);

}  // namespace milkyhoop::http
