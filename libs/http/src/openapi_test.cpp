#include "milkyhoop/http/openapi.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace milkyhoop::http {
namespace {

TEST(OpenApiTest, EveryRouteIsDocumented) {
  Router router;
  Route a;
  a.method = "POST";
  a.path = "/v1/orgs/{org_id}/members";
  a.summary = "Add a member";
  a.tag = "Organisations";
  a.auth = AuthPolicy::kUser;
  a.permission = "members:manage";
  a.request_schema =
      R"({"type":"object","required":["email"],"properties":{"email":{"type":"string"}}})";
  a.responses = {{201, "Added", R"({"type":"object"})"}};
  a.params = {{"limit", "query", R"({"type":"integer"})", false, "page size"}};
  a.handler = [](Request&) { return Response::NoContent(); };
  ASSERT_TRUE(router.Add(a).ok());
  Route b;
  b.method = "GET";
  b.path = "/status";
  b.handler = a.handler;
  ASSERT_TRUE(router.Add(b).ok());

  auto doc_text = BuildOpenApi(router, {"MilkyHoop API", "1.2.3", ""});
  ASSERT_TRUE(doc_text.ok()) << doc_text.status().ToString();
  auto doc = nlohmann::json::parse(*doc_text);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const auto& r : router.routes()) {
    std::string method = r->method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(doc["paths"].contains(r->path)) << r->path;
    ASSERT_TRUE(doc["paths"][r->path].contains(method)) << r->path;
  }
  auto op = doc["paths"]["/v1/orgs/{org_id}/members"]["post"];
  EXPECT_EQ(op["parameters"][0]["name"], "org_id");
  EXPECT_EQ(op["parameters"][0]["in"], "path");
  EXPECT_EQ(op["parameters"][1]["name"], "limit");
  EXPECT_EQ(op["x-milkyhoop-permission"], "members:manage");
  EXPECT_TRUE(op["responses"].contains("401"));
  EXPECT_EQ(op["requestBody"]["content"]["application/json"]["schema"]["required"][0], "email");
  EXPECT_EQ(doc["paths"]["/status"]["get"]["security"], nlohmann::json::array());
}

TEST(OpenApiTest, BrokenSchemaIsReported) {
  Router router;
  Route a;
  a.method = "GET";
  a.path = "/x";
  a.responses = {{200, "ok", "{not json"}};
  a.handler = [](Request&) { return Response::NoContent(); };
  ASSERT_TRUE(router.Add(a).ok());
  auto doc = BuildOpenApi(router, {});
  EXPECT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("GET /x"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::http
