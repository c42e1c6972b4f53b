#include "milkyhoop/http/middlewares.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::http {
namespace {

TEST(RequestContextTest, EchoesSaneIdsAndHonoursTraceparent) {
  RequestContextMiddleware mw;
  Request req;
  req.headers = {{"X-Request-Id", "abc-123"},
                 {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  ASSERT_FALSE(mw.Before(req));
  EXPECT_EQ(req.request_id, "abc-123");
  EXPECT_EQ(req.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(req.parent_span_id, "00f067aa0ba902b7");
  Response resp;
  mw.After(req, resp);
  EXPECT_EQ(resp.Header("x-request-id"), "abc-123");
  EXPECT_TRUE(resp.Header("traceparent").starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
}

TEST(RequestContextTest, ReplacesHostileIdsAndBadTraceparent) {
  RequestContextMiddleware mw;
  Request req;
  req.headers = {{"X-Request-Id", "bad id\r\ninjected: yes"},
                 {"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}};
  ASSERT_FALSE(mw.Before(req));
  EXPECT_EQ(req.request_id.find(' '), std::string::npos);
  EXPECT_NE(req.trace_id, "00000000000000000000000000000000");
  EXPECT_EQ(req.trace_id.size(), 32u);
}

TEST(CorsTest, PreflightOnlyForAllowedOrigins) {
  CorsMiddleware mw({"https://shop.example"});
  Request req;
  req.method = "OPTIONS";
  req.headers = {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}};
  auto r = mw.Before(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("access-control-allow-origin"), "https://shop.example");

  req.headers = {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}};
  r = mw.Before(req);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->Header("access-control-allow-origin").empty());
}

TEST(SecurityHeadersTest, KeepsARouteOwnCsp) {
  SecurityHeadersMiddleware mw(false);
  Request req;
  Response r;
  r.SetHeader("Content-Security-Policy", "default-src 'self'");
  mw.After(req, r);
  EXPECT_EQ(r.Header("content-security-policy"), "default-src 'self'");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
}

}  // namespace
}  // namespace milkyhoop::http
