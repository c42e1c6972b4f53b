#include <gtest/gtest.h>

#include "milkyhoop/gateway/auth_middleware.hpp"
#include "milkyhoop/gateway/rate_limit_middleware.hpp"
#include "milkyhoop/http/route.hpp"

namespace milkyhoop::gateway {
namespace {

class FakeAuthenticator final : public Authenticator {
 public:
  Result<std::optional<http::Principal>> Authenticate(const http::Request& r) override {
    std::string_view auth = r.Header("authorization");
    if (auth.empty()) return std::optional<http::Principal>();
    if (auth == "Bearer good")
      return std::optional<http::Principal>(
          http::Principal{http::Principal::Kind::kUser, "user_1", "", "", "", {}});
    if (auth == "Bearer key")
      return std::optional<http::Principal>(
          http::Principal{http::Principal::Kind::kApiKey, "key_1", "", "org_1", "", {}});
    return Unauthenticated("token signature invalid");
  }
};

http::Route MakeRoute(http::AuthPolicy auth, http::RateClass rc = http::RateClass::kGeneral) {
  http::Route r;
  r.auth = auth;
  r.rate_class = rc;
  return r;
}

TEST(AuthMiddlewareTest, EnforcesTheRoutePolicy) {
  FakeAuthenticator fake;
  AuthMiddleware mw(fake);
  http::Route user_route = MakeRoute(http::AuthPolicy::kUser);
  http::Request req;
  req.route = &user_route;
  auto r = mw.Before(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("www-authenticate"), "Bearer");

  req.headers = {{"Authorization", "Bearer forged"}};
  r = mw.Before(req);
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("signature invalid"), std::string::npos);

  req.headers = {{"Authorization", "Bearer key"}};
  EXPECT_EQ(mw.Before(req)->status, 401);  // an API key on a user-only route

  req.headers = {{"Authorization", "Bearer good"}};
  EXPECT_FALSE(mw.Before(req));
  ASSERT_TRUE(req.principal);
  EXPECT_EQ(req.principal->subject_id, "user_1");

  http::Route public_route = MakeRoute(http::AuthPolicy::kPublic);
  http::Request anon;
  anon.route = &public_route;
  anon.headers = {{"Authorization", "Bearer forged"}};
  EXPECT_FALSE(mw.Before(anon));
}

TEST(RateLimitMiddlewareTest, AddsHeadersAndRefusesOverTheLimit) {
  ManualClock clock;
  auto limiter = MakeMemoryRateLimiter(clock);
  RateLimitPolicy policy;
  policy.auth = {2, std::chrono::minutes(1)};
  RateLimitMiddleware mw(*limiter, policy);
  http::Route login = MakeRoute(http::AuthPolicy::kPublic, http::RateClass::kAuth);
  for (int i = 0; i < 2; ++i) {
    http::Request req;
    req.route = &login;
    req.remote_ip = "10.0.0.1";
    EXPECT_FALSE(mw.Before(req));
    ASSERT_EQ(req.response_headers.size(), 3u);
    EXPECT_EQ(req.response_headers[0].second, "2");
  }
  http::Request req;
  req.route = &login;
  req.remote_ip = "10.0.0.1";
  auto r = mw.Before(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->Header("retry-after"), "30");
  EXPECT_EQ(r->Header("ratelimit-remaining"), "0");
}

}  // namespace
}  // namespace milkyhoop::gateway
