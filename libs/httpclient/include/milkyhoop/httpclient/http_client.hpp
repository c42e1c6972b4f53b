#pragma once
// A small blocking HTTP/1.1 client (Boost.Beast; HTTPS through OpenSSL, certificates verified
// against the system store, host name checked, SNI sent). One connection per request, no
// redirects followed (a 3xx comes back as it is), bounded in time and size. For calls made off
// the I/O threads: OIDC discovery, token exchange, JWKS, webhooks.
//
// Errors: kInvalidArgument for a bad URL or request; kUnavailable when the host cannot be
// resolved, reached or its certificate does not verify; kDeadlineExceeded when the connect or
// total timeout passes; kResourceExhausted when the response is larger than allowed. Any HTTP
// status is a successful Result: the caller decides what a 4xx or 5xx means.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/httpclient/url.hpp"

namespace milkyhoop::httpclient {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;  // sent with Content-Length when non-empty or the method is POST/PUT/PATCH
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;

  // Case-insensitive; "" when absent.
  std::string_view Header(std::string_view name) const;
};

struct ClientOptions {
  // Resolving the host and connecting (TCP) together.
  std::chrono::milliseconds connect_timeout{5'000};
  // The whole exchange, connect included.
  std::chrono::milliseconds total_timeout{15'000};
  std::size_t max_response_body_bytes = std::size_t{4} << 20;
  std::size_t max_response_header_bytes = std::size_t{64} << 10;
  // Trust anchors: the system's store, plus a PEM file (a private CA; tests).
  bool use_system_trust_store = true;
  std::string extra_ca_file;
  std::string user_agent = "milkyhoop/1";
};

class HttpClient {
 public:
  // Loads the trust store once. kFailedPrecondition when extra_ca_file cannot be loaded,
  // kInvalidArgument for non-positive timeouts or limits.
  static Result<HttpClient> Create(ClientOptions options = {});

  // Thread-safe: each call uses its own connection.
  Result<Response> Send(const Request& request) const;

  Result<Response> Get(std::string_view url, Headers headers = {}) const;
  // application/x-www-form-urlencoded body.
  Result<Response> PostForm(std::string_view url, const Params& form, Headers headers = {}) const;

  const ClientOptions& options() const;

  struct Impl;  // opaque: the TLS context and options, shared by copies

 private:
  explicit HttpClient(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace milkyhoop::httpclient
