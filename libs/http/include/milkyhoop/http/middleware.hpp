#pragma once
// The middleware chain. Before() runs in order once the request is read and routed (the route
// may be null: unknown path); a Response returned there answers at once (401, 429, a CORS
// preflight...). After() runs in reverse order on every response, short-circuited or not.
#include <optional>

#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual std::optional<Response> Before(Request& request) { return std::nullopt; }
  virtual void After(const Request& request, Response& response) {}
};

}  // namespace milkyhoop::http
