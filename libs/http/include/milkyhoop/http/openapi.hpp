#pragma once
// The OpenAPI 3.1 document, built from the router's own route table.
#include <string>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/router.hpp"

namespace milkyhoop::http {

struct ApiInfo {
  std::string title = "MilkyHoop API";
  std::string version;
  std::string description;
};

// Fails when a route's schema text is not valid JSON (caught by the unit tests).
Result<std::string> BuildOpenApi(const Router& router, const ApiInfo& info);

}  // namespace milkyhoop::http
