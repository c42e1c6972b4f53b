#include "milkyhoop/gateway/auth_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/totp.hpp"
#include "milkyhoop/http/openapi.hpp"
#include "testing/auth_fixture.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kPassword[] = "kopi susu gula aren";

class AuthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuthRoutesOptions options;
    options.org_memberships = [](std::string_view user_id) -> Result<std::vector<OrgMembership>> {
      return std::vector<OrgMembership>{{"org_1", "Warung Sari", "owner"}};
    };
    ASSERT_TRUE(RegisterAuthRoutes(router_, *harness_.service, options).ok());
  }

  struct Call {
    std::string method, target, body, content_type = "application/json";
    std::optional<http::Principal> principal;
  };

  http::Response Do(Call call) {
    calls_.push_back(std::make_unique<Call>(std::move(call)));
    Call& c = *calls_.back();
    http::Request request;
    request.method = c.method;
    request.target = c.target;
    const auto q = c.target.find('?');
    request.path = std::string_view(c.target).substr(0, q);
    if (q != std::string::npos) request.query = std::string_view(c.target).substr(q + 1);
    request.body = c.body;
    request.remote_ip = "192.0.2.7";
    request.request_id = "req-1";
    request.headers.emplace_back("Content-Type", c.content_type);
    request.headers.emplace_back("User-Agent",
                                 "pytest\x01"
                                 "agent");
    auto match = router_.Find(request.method, request.path, request);
    EXPECT_NE(match.route, nullptr) << c.method << " " << c.target;
    if (!match.route) return http::Response::NoContent();
    request.route = match.route;
    request.principal = c.principal;
    return match.route->handler(request);
  }
  http::Response Post(const std::string& path, const json& body,
                      std::optional<http::Principal> who = std::nullopt) {
    return Do({"POST", path, body.dump(), "application/json", std::move(who)});
  }
  static json Body(const http::Response& r) { return json::parse(r.body); }

  http::Principal UserOf(const json& tokens) {
    http::Principal p;
    p.subject_id = tokens["user"]["id"];
    auto payload = tokens["access_token"].get<std::string>();
    auto first = payload.find('.'), second = payload.rfind('.');
    auto claims =
        json::parse(*crypto::Base64UrlDecode(payload.substr(first + 1, second - first - 1)));
    p.session_id = claims["sid"];
    return p;
  }

  json MustRegister(const std::string& email) {
    auto r =
        Post("/v1/auth/register", {{"email", email}, {"password", kPassword}, {"name", "Sari"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }

  auth::testing::AuthHarness harness_{auth::testing::Backend::kSqlite, auth::testing::TestConfig()};
  http::Router router_;
  std::vector<std::unique_ptr<Call>> calls_;
};

TEST_F(AuthRoutesTest, RegisterAnswersExactlyTheTokenShape) {
  auto r =
      Post("/v1/auth/register",
           {{"email", " Sari@Example.com"}, {"password", kPassword}, {"name", "Sari"}, {"x", 1}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  json body = Body(r);
  std::vector<std::string> keys;
  for (auto& [k, v] : body.items()) keys.push_back(k);
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre("user", "access_token", "refresh_token",
                                                    "token_type", "expires_in"));
  EXPECT_EQ(body["user"],
            json({{"id", body["user"]["id"]}, {"email", "sari@example.com"}, {"name", "Sari"}}));
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 900);
}

TEST_F(AuthRoutesTest, BodiesAreValidatedFieldByField) {
  auto r = Post("/v1/auth/register", {{"email", 5}, {"password", kPassword}});
  ASSERT_EQ(r.status, 400);
  json body = Body(r);
  EXPECT_EQ(body["code"], "invalid_argument");
  EXPECT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0]["field"], "email");
  EXPECT_EQ(body["errors"][1]["field"], "name");
  auto weak = Post("/v1/auth/register",
                   {{"email", "a@example.com"}, {"password", "password1"}, {"name", "A"}});
  ASSERT_EQ(weak.status, 400);
  EXPECT_EQ(Body(weak)["errors"][0]["field"], "password");
  auto not_json =
      Do({"POST", "/v1/auth/login", "email=a", "application/x-www-form-urlencoded", {}});
  EXPECT_EQ(not_json.status, 415);
  auto array = Do({"POST", "/v1/auth/login", "[1]", "application/json", {}});
  EXPECT_EQ(array.status, 400);
}

TEST_F(AuthRoutesTest, TakenEmailIsConflict) {
  MustRegister("tono@example.com");
  auto r = Post("/v1/auth/register",
                {{"email", "TONO@example.com"}, {"password", kPassword}, {"name", "T"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Body(r)["code"], "conflict");
}

TEST_F(AuthRoutesTest, WrongCredentialsAnswerTheSameBodyAndLockoutIs429) {
  MustRegister("umar@example.com");
  auto wrong = Post("/v1/auth/login", {{"email", "umar@example.com"}, {"password", "nope nope"}});
  auto unknown =
      Post("/v1/auth/login", {{"email", "nobody@example.com"}, {"password", "nope nope"}});
  ASSERT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Header("WWW-Authenticate"), "Bearer");
  for (int i = 0; i < 4; ++i)
    Post("/v1/auth/login", {{"email", "umar@example.com"}, {"password", "x y z w v"}});
  auto locked = Post("/v1/auth/login", {{"email", "umar@example.com"}, {"password", kPassword}});
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.Header("Retry-After"), "300");
  EXPECT_EQ(Body(locked)["code"], "rate_limited");
}

TEST_F(AuthRoutesTest, RefreshRotatesLogoutEnds) {
  json tokens = MustRegister("vina@example.com");
  auto refreshed = Post("/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  auto replay = Post("/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}});
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(Post("/v1/auth/refresh", {}).status, 400);
  json second = MustRegister("wati@example.com");
  auto out = Post("/v1/auth/logout", {{"refresh_token", second["refresh_token"]}});
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(Post("/v1/auth/refresh", {{"refresh_token", second["refresh_token"]}}).status, 401);
}

TEST_F(AuthRoutesTest, MeSessionsAndRevoke) {
  json tokens = MustRegister("yani@example.com");
  const http::Principal me = UserOf(tokens);
  auto r = Do({"GET", "/v1/auth/me", "", "application/json", me});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r),
            json({{"id", me.subject_id},
                  {"email", "yani@example.com"},
                  {"name", "Sari"},
                  {"mfa_enabled", false},
                  {"orgs", {{{"id", "org_1"}, {"name", "Warung Sari"}, {"role", "owner"}}}}}));
  auto list = Do({"GET", "/v1/auth/sessions", "", "application/json", me});
  ASSERT_EQ(list.status, 200);
  json sessions = Body(list);
  ASSERT_EQ(sessions["items"].size(), 1u);
  EXPECT_TRUE(sessions["next_cursor"].is_null());
  EXPECT_EQ(sessions["items"][0]["current"], true);
  EXPECT_EQ(sessions["items"][0]["ip"], "192.0.2.7");
  EXPECT_EQ(sessions["items"][0]["user_agent"], "pytest?agent");
  EXPECT_THAT(sessions["items"][0]["created_at"].get<std::string>(), ::testing::EndsWith("Z"));
  auto gone = Do({"DELETE", "/v1/auth/sessions/" + me.session_id, "", "application/json", me});
  EXPECT_EQ(gone.status, 204);
  EXPECT_EQ(Do({"DELETE", "/v1/auth/sessions/" + me.session_id, "", "application/json", me}).status,
            404);
}

TEST_F(AuthRoutesTest, TotpThroughTheRoutes) {
  json tokens = MustRegister("zaki@example.com");
  const http::Principal me = UserOf(tokens);
  auto setup = Do({"POST", "/v1/auth/mfa/totp/setup", "", "", me});
  ASSERT_EQ(setup.status, 200) << setup.body;
  const std::string secret = Body(setup)["secret"];
  EXPECT_THAT(Body(setup)["otpauth_url"].get<std::string>(), HasSubstr("otpauth://totp/"));
  auto code = [&] {
    return crypto::Totp(crypto::SecretBytes(*crypto::Base32Decode(secret)))
        .CodeAt(harness_.clock.Now());
  };
  EXPECT_EQ(Post("/v1/auth/mfa/totp/enable", {{"code", 123}}, me).status, 400);
  auto enabled = Post("/v1/auth/mfa/totp/enable", {{"code", code()}}, me);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(Body(enabled), json({{"mfa_enabled", true}}));
  auto need = Post("/v1/auth/login", {{"email", "zaki@example.com"}, {"password", kPassword}});
  ASSERT_EQ(need.status, 401);
  EXPECT_EQ(Body(need)["errors"][0]["field"], "totp_code");
  harness_.clock.Advance(30s);
  auto ok = Post("/v1/auth/login",
                 {{"email", "zaki@example.com"}, {"password", kPassword}, {"totp_code", code()}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(AuthRoutesTest, OAuthWithoutProviderAndJwks) {
  auto missing = Do({"GET", "/v1/auth/oauth/google/authorize", "", "", {}});
  EXPECT_EQ(missing.status, 400);
  auto off = Do({"GET",
                 "/v1/auth/oauth/google/authorize?redirect_uri=https%3A%2F%2Fa.example%2Fcb",
                 "",
                 "",
                 {}});
  EXPECT_EQ(off.status, 404);
  auto refused =
      Do({"GET", "/v1/auth/oauth/google/callback?error=access_denied&state=x", "", "", {}});
  EXPECT_EQ(refused.status, 401);
  auto incomplete = Do({"GET", "/v1/auth/oauth/google/callback?state=x", "", "", {}});
  EXPECT_EQ(incomplete.status, 400);
  EXPECT_EQ(Body(incomplete)["errors"][0]["field"], "code");
  auto jwks = Do({"GET", "/.well-known/jwks.json", "", "", {}});
  ASSERT_EQ(jwks.status, 200);
  EXPECT_EQ(Body(jwks)["keys"].size(), 1u);
  EXPECT_EQ(jwks.Header("Cache-Control"), "public, max-age=300");
}

TEST_F(AuthRoutesTest, EveryRouteIsDocumentedAndAuthRoutesAreRateClassAuth) {
  auto doc = http::BuildOpenApi(router_, {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  for (const auto& route : router_.routes()) {
    EXPECT_EQ(route->tag, "Auth") << route->path;
    EXPECT_FALSE(route->summary.empty()) << route->path;
    EXPECT_FALSE(route->responses.empty()) << route->path;
    const bool auth_class = route->path == "/v1/auth/register" || route->path == "/v1/auth/login" ||
                            route->path == "/v1/auth/refresh" || route->path == "/v1/auth/logout" ||
                            route->path.starts_with("/v1/auth/oauth/");
    EXPECT_EQ(route->rate_class == http::RateClass::kAuth, auth_class) << route->path;
    if (route->method == "POST" && route->path != "/v1/auth/mfa/totp/setup") {
      EXPECT_FALSE(route->request_schema.empty()) << route->path;
    }
  }
  EXPECT_EQ(router_.routes().size(), 13u);
}

TEST(AuthUserDirectory, FindsRegisteredEmailsOnly) {
  auth::testing::AuthHarness h(auth::testing::Backend::kSqlite, auth::testing::TestConfig());
  auth::v1::RegisterRequest r;
  r.set_email("ani@example.com");
  r.set_password(kPassword);
  r.set_name("Ani");
  ASSERT_TRUE(h.service->Register(r).ok());
  auto dir = MakeAuthUserDirectory(*h.service);
  auto found = dir->FindByEmail("ani@example.com");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "Ani");
  auto none = dir->FindByEmail("nobody@example.com");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace milkyhoop::gateway
