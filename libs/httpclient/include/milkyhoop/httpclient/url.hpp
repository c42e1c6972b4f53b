#pragma once
// URL pieces an HTTP client needs, and the encodings of query strings and form bodies.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::httpclient {

struct Url {
  std::string scheme;  // "http" | "https"
  std::string host;    // without brackets for IPv6 literals
  std::uint16_t port = 0;
  std::string target;  // path + query, "/" at least; the fragment is dropped
  bool host_is_ip = false;

  // "host" or "host:port" (brackets around IPv6), leaving out the scheme's default port: the
  // value of the Host header.
  std::string Authority() const;
};

// Absolute http(s) URLs only. kInvalidArgument for anything else (userinfo, other schemes,
// control characters or spaces, a bad port).
Result<Url> ParseUrl(std::string_view text);

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding of everything but unreserved characters (ALPHA DIGIT - . _ ~).
std::string PercentEncode(std::string_view text);
// application/x-www-form-urlencoded (spaces as '+'), also right for query strings.
std::string FormEncode(std::string_view text);
// "a=1&b=2", each name and value FormEncode'd.
std::string EncodeParams(const Params& params);
// `url` with `params` appended as its query ('?' or '&' as needed).
std::string WithQuery(std::string_view url, const Params& params);

}  // namespace milkyhoop::httpclient
