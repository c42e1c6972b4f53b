#pragma once
// An HTTP request as handlers see it. Views point into the connection's buffers, which live
// until the response is written: a handler that hands work to another thread (a stream
// producer) copies what it needs.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milkyhoop/http/principal.hpp"

namespace milkyhoop::http {

struct Route;

class Request {
 public:
  std::string_view method;
  std::string_view target;  // path + query, as sent
  std::string_view path;    // without the query
  std::string_view query;   // after '?', raw
  std::string_view body;
  std::string remote_ip;
  std::string request_id;
  std::string trace_id;        // 32 hex
  std::string span_id;         // ours, 16 hex
  std::string parent_span_id;  // from traceparent, if any
  const Route* route = nullptr;
  std::optional<Principal> principal;
  std::chrono::steady_clock::time_point start;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::vector<std::pair<std::string_view, std::string>> path_params;
  // Headers a middleware wants on whatever response this request gets (e.g. RateLimit-*).
  std::vector<std::pair<std::string, std::string>> response_headers;

  // Case-insensitive header lookup; empty when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Percent-decoded path parameter, "" if the route has none of that name.
  const std::string& Param(std::string_view name) const;
  // Percent-decoded query parameter (first occurrence).
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Media type of the body without parameters, lower-cased ("application/json").
  std::string ContentType() const;
};

// Percent-decoding of a URL component; '+' becomes a space when `plus_is_space`.
// Returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace milkyhoop::http
