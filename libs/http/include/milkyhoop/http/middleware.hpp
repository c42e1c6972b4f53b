#pragma once
// The middleware chain. Before() runs in order once the request is read and routed (the route
// may be null: unknown path); a Response returned there answers at once (401, 429, a CORS
// preflight...). After() runs in reverse order on every response, short-circuited or not.
// Both run on the thread the route runs on: an I/O thread for kInline routes and for fast paths.
#include <optional>

#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual std::optional<Response> Before(Request& request) { return std::nullopt; }
  virtual void After(const Request& request, Response& response) {}
  // True when Before() may wait on I/O for this request (a database, another process): the
  // server then runs it off the I/O threads. After() must never block.
  virtual bool MayBlock(const Request& request) const { return false; }
};

}  // namespace milkyhoop::http
