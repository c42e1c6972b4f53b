#pragma once
// A route: the handler and everything the gateway needs to serve and document it. The OpenAPI
// document and the cross-tenant test matrix are generated from these, so they cannot drift.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "milkyhoop/http/request.hpp"
#include "milkyhoop/http/response.hpp"

namespace milkyhoop::http {

using Handler = std::function<Response(Request&)>;
// Answers without blocking when it can (e.g. from memory), else nullopt.
using FastPath = std::function<std::optional<Response>(Request&)>;

enum class AuthPolicy : std::uint8_t {
  kPublic,        // no credentials needed
  kUser,          // a user's access token
  kUserOrApiKey,  // a user's token or an API key
  kApiKey,        // an API key only
};

enum class Execution : std::uint8_t {
  kInline,    // cheap and non-blocking: runs on the I/O thread
  kBlocking,  // touches a database or disk: runs on the bounded blocking pool
};

enum class RateClass : std::uint8_t { kNone, kGeneral, kAuth, kPublicChat };

struct ParamDoc {
  std::string name;
  std::string in = "query";                     // "query" | "header"
  std::string schema = R"({"type":"string"})";  // JSON Schema text
  bool required = false;
  std::string description;
};

struct ResponseDoc {
  int status = 200;
  std::string description;
  std::string schema;  // JSON Schema text; empty → no body
  std::string content_type = "application/json";
};

struct Route {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/v1/orgs/{org_id}/members"
  std::string operation_id;
  std::string summary;
  std::string description;  // OpenAPI's longer text (Markdown), when the summary is not enough
  std::string tag;
  AuthPolicy auth = AuthPolicy::kPublic;
  std::string permission;  // e.g. "members:manage"; documented and checked by the handler
  RateClass rate_class = RateClass::kGeneral;
  std::vector<ParamDoc> params;
  std::string request_schema;  // JSON Schema text; empty → no body
  std::vector<std::string> request_media_types = {"application/json"};
  std::vector<ResponseDoc> responses;
  std::size_t max_body_bytes = 0;  // 0 → the server's default
  Execution execution = Execution::kBlocking;
  Handler handler;
  // Optional, for a kBlocking route: tried on the I/O thread first, when no middleware would
  // block for the request either; `handler` runs on the pool only when it answers nullopt.
  FastPath fast_path;

  std::size_t index = 0;  // position in the router, set by Router::Add
};

}  // namespace milkyhoop::http
