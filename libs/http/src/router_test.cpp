#include "milkyhoop/http/router.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::http {
namespace {

Route Make(std::string method, std::string path) {
  Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.handler = [](Request&) { return Response::NoContent(); };
  return r;
}

TEST(RouterTest, MatchesStaticAndParameterisedPaths) {
  Router router;
  ASSERT_TRUE(router.Add(Make("GET", "/v1/orgs")).ok());
  ASSERT_TRUE(router.Add(Make("GET", "/v1/orgs/{org_id}")).ok());
  ASSERT_TRUE(router.Add(Make("DELETE", "/v1/orgs/{org_id}/members/{user_id}")).ok());
  ASSERT_TRUE(router.Add(Make("GET", "/v1/orgs/{org_id}/audit-events/verify")).ok());
  Request req;
  auto m = router.Find("GET", "/v1/orgs", req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/v1/orgs");

  m = router.Find("DELETE", "/v1/orgs/org%201/members/u_2", req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(req.Param("org_id"), "org 1");
  EXPECT_EQ(req.Param("user_id"), "u_2");

  m = router.Find("GET", "/v1/orgs/o1/audit-events/verify", req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/v1/orgs/{org_id}/audit-events/verify");
}

TEST(RouterTest, UnknownPathAndWrongMethod) {
  Router router;
  ASSERT_TRUE(router.Add(Make("GET", "/v1/orgs/{org_id}")).ok());
  ASSERT_TRUE(router.Add(Make("PATCH", "/v1/orgs/{org_id}")).ok());
  Request req;
  auto m = router.Find("GET", "/v1/nothing", req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_known);
  m = router.Find("POST", "/v1/orgs/o1", req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "GET, PATCH");
  // An empty segment never matches a parameter.
  EXPECT_EQ(router.Find("GET", "/v1/orgs/", req).route, nullptr);
  // HEAD falls back to GET.
  EXPECT_NE(router.Find("HEAD", "/v1/orgs/o1", req).route, nullptr);
  // A malformed escape is not a match.
  EXPECT_EQ(router.Find("GET", "/v1/orgs/%zz", req).route, nullptr);
}

TEST(RouterTest, RejectsDuplicatesAndConflicts) {
  Router router;
  ASSERT_TRUE(router.Add(Make("GET", "/a/{x}")).ok());
  EXPECT_EQ(router.Add(Make("GET", "/a/{x}")).code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(router.Add(Make("GET", "/a/{y}/b")).ok());
  EXPECT_FALSE(router.Add(Make("GET", "no-slash")).ok());
}

TEST(RequestTest, QueryParamsAreDecoded) {
  Request req;
  req.query = "q=nasi+goreng&limit=5&x=%E2%9C%93&flag";
  EXPECT_EQ(req.QueryParam("q"), "nasi goreng");
  EXPECT_EQ(req.QueryParam("limit"), "5");
  EXPECT_EQ(req.QueryParam("x"), "\xE2\x9C\x93");
  EXPECT_EQ(req.QueryParam("flag"), "");
  EXPECT_EQ(req.QueryParam("missing"), std::nullopt);
}

}  // namespace
}  // namespace milkyhoop::http
