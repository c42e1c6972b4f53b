#include "milkyhoop/http/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace milkyhoop::http {
namespace {

using nlohmann::json;

Result<json> ParseSchema(const std::string& text, const Route& route, std::string_view what) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return InvalidArgument("route " + route.method + " " + route.path + ": " + std::string(what) +
                           " is not valid JSON");
  }
  return j;
}

std::vector<std::string> PathParams(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string::npos) {
    auto end = path.find('}', pos);
    out.push_back(path.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string DefaultOperationId(const Route& r) {
  std::string id = Lower(r.method);
  bool upper = true;
  for (char c : r.path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

const char* kProblemSchema = R"({
  "type": "object",
  "required": ["type", "title", "status", "code"],
  "properties": {
    "type": {"type": "string"},
    "title": {"type": "string"},
    "status": {"type": "integer"},
    "detail": {"type": "string"},
    "code": {"type": "string", "enum": ["invalid_argument", "unauthenticated", "permission_denied",
      "not_found", "conflict", "failed_precondition", "rate_limited", "payload_too_large",
      "unsupported_media_type", "unavailable", "internal", "method_not_allowed"]},
    "errors": {"type": "array", "items": {"type": "object",
      "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
  }
})";

}  // namespace

Result<std::string> BuildOpenApi(const Router& router, const ApiInfo& info) {
  json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", info.title},
                 {"version", info.version},
                 {"description", info.description},
                 {"license", {{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}};
  doc["servers"] = json::array({{{"url", "/"}}});
  doc["components"]["schemas"]["Problem"] = json::parse(kProblemSchema);
  doc["components"]["securitySchemes"] = {
      {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
      {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}};
  doc["components"]["responses"]["Problem"] = {
      {"description", "An error, as an RFC 9457 problem detail"},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  json& paths = doc["paths"];
  paths = json::object();
  json tags = json::array();
  for (const auto& route_ptr : router.routes()) {
    const Route& r = *route_ptr;
    json op;
    op["operationId"] = r.operation_id.empty() ? DefaultOperationId(r) : r.operation_id;
    op["summary"] = r.summary.empty() ? r.method + " " + r.path : r.summary;
    if (!r.description.empty()) op["description"] = r.description;
    if (!r.tag.empty()) {
      op["tags"] = json::array({r.tag});
      if (std::find(tags.begin(), tags.end(), json{{"name", r.tag}}) == tags.end()) {
        tags.push_back({{"name", r.tag}});
      }
    }
    json params = json::array();
    for (const auto& name : PathParams(r.path)) {
      params.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    for (const auto& p : r.params) {
      MH_ASSIGN_OR_RETURN(json schema, ParseSchema(p.schema, r, "parameter " + p.name));
      json param = {{"name", p.name}, {"in", p.in}, {"required", p.required}, {"schema", schema}};
      if (!p.description.empty()) param["description"] = p.description;
      params.push_back(std::move(param));
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.request_schema.empty()) {
      MH_ASSIGN_OR_RETURN(json schema, ParseSchema(r.request_schema, r, "request schema"));
      json content = json::object();
      for (const auto& mt : r.request_media_types) content[mt] = {{"schema", schema}};
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    json responses = json::object();
    for (const auto& resp : r.responses) {
      json out = {{"description", resp.description.empty() ? "OK" : resp.description}};
      if (!resp.schema.empty()) {
        MH_ASSIGN_OR_RETURN(json schema, ParseSchema(resp.schema, r, "response schema"));
        out["content"][resp.content_type] = {{"schema", schema}};
      }
      responses[std::to_string(resp.status)] = std::move(out);
    }
    if (responses.empty()) responses["200"] = {{"description", "OK"}};
    if (r.auth != AuthPolicy::kPublic) {
      responses["401"] = {{"$ref", "#/components/responses/Problem"}};
    }
    responses["default"] = {{"$ref", "#/components/responses/Problem"}};
    op["responses"] = std::move(responses);
    switch (r.auth) {
      case AuthPolicy::kPublic:
        op["security"] = json::array();
        break;
      case AuthPolicy::kUser:
        op["security"] = json::array({{{"bearerAuth", json::array()}}});
        break;
      case AuthPolicy::kApiKey:
        op["security"] =
            json::array({{{"bearerAuth", json::array()}}, {{"apiKey", json::array()}}});
        break;
      case AuthPolicy::kUserOrApiKey:
        op["security"] =
            json::array({{{"bearerAuth", json::array()}}, {{"apiKey", json::array()}}});
        break;
    }
    if (!r.permission.empty()) op["x-milkyhoop-permission"] = r.permission;
    paths[r.path][Lower(r.method)] = std::move(op);
  }
  doc["tags"] = std::move(tags);
  return doc.dump(2);
}

}  // namespace milkyhoop::http
