// OIDC sign-in end to end against a fake provider over real HTTP: start, consent, callback,
// account creation and linking, and every way the exchange must be refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "milkyhoop/httpclient/url.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/auth_fixture.hpp"
#include "testing/fake_oidc_provider.hpp"

namespace milkyhoop::auth {
namespace {

using namespace std::chrono_literals;
using testing::AuthHarness;
using testing::FakeOidcProvider;
using ::testing::HasSubstr;
using testing::ProviderIdentity;

constexpr char kRedirect[] = "https://app.example.com/auth/callback";

class OidcFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuthConfig config = testing::TestConfig();
    config.oidc.issuer = provider_.issuer();
    config.oidc.client_id = testing::kClientId;
    config.oidc.client_secret = testing::kClientSecret;
    config.oidc.redirect_uris = {kRedirect};
    config.oidc.jwks_min_refresh = 0s;
    harness_ = std::make_unique<AuthHarness>(testing::Backend::kSqlite, config);
  }
  AuthService& Auth() { return *harness_->service; }

  v1::OidcStartResponse Start() {
    v1::OidcStartRequest r;
    r.set_redirect_uri(kRedirect);
    auto res = Auth().OidcStart(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : v1::OidcStartResponse();
  }

  Result<v1::AuthResponse> Callback(const std::string& code, const std::string& state) {
    v1::OidcCallbackRequest r;
    r.set_code(code);
    r.set_state(state);
    r.set_ip("10.1.1.1");
    return Auth().OidcCallback(r);
  }

  // Start, consent as `identity`, come back: the whole browser round trip.
  Result<v1::AuthResponse> SignIn(const ProviderIdentity& identity = {}) {
    v1::OidcStartResponse started = Start();
    const std::string code = provider_.Authorize(started.authorization_url(), identity);
    EXPECT_FALSE(code.empty()) << started.authorization_url();
    return Callback(code, started.state());
  }

  ManualClock provider_clock_;
  FakeOidcProvider provider_{provider_clock_};
  std::unique_ptr<AuthHarness> harness_;
};

TEST_F(OidcFlowTest, AuthorizationUrlCarriesStateNoncePkceAndScope) {
  v1::OidcStartResponse started = Start();
  const std::string& url = started.authorization_url();
  EXPECT_THAT(url, ::testing::StartsWith(provider_.issuer() + "/auth?response_type=code&"));
  EXPECT_THAT(url, HasSubstr("client_id=milkyhoop-test-client"));
  EXPECT_THAT(url, HasSubstr("redirect_uri=" + httpclient::FormEncode(kRedirect)));
  EXPECT_THAT(url, HasSubstr("scope=openid+email+profile"));
  EXPECT_THAT(url, HasSubstr("state=" + started.state()));
  EXPECT_THAT(url, HasSubstr("code_challenge_method=S256"));
  EXPECT_THAT(url, HasSubstr("nonce="));
  EXPECT_EQ(started.state().size(), 43u);
}

TEST_F(OidcFlowTest, RedirectUriMustBeAllowed) {
  v1::OidcStartRequest r;
  r.set_redirect_uri("https://evil.example.com/callback");
  auto res = Auth().OidcStart(r);
  ASSERT_EQ(res.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(res.status().field_errors()[0].field, "redirect_uri");
  r.set_redirect_uri("");
  EXPECT_EQ(Auth().OidcStart(r).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OidcFlowTest, FirstSignInCreatesAPasswordlessAccount) {
  auto res = SignIn();
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->user().email(), "siti@gmail.com");
  EXPECT_EQ(res->user().name(), "Siti Rahma");
  EXPECT_FALSE(res->user().has_password());
  EXPECT_EQ(res->token_type(), "Bearer");
  EXPECT_FALSE(res->refresh_token().empty());
  // No password: password login is refused like any wrong password.
  v1::LoginRequest login;
  login.set_email("siti@gmail.com");
  login.set_password("anything at all");
  EXPECT_EQ(Auth().Login(login).status().message(), kInvalidCredentialsMessage);
  // The next sign-in finds the same account by the provider's subject.
  ProviderIdentity renamed;
  renamed.email = "siti.new@gmail.com";
  auto again = SignIn(renamed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->user().id(), res->user().id());
  auto outbox = sql::FetchUnsentOutbox(*harness_->db, 100);
  ASSERT_TRUE(outbox.ok());
  int registered = 0;
  for (const auto& e : *outbox) registered += e.type == "auth.user.registered";
  EXPECT_EQ(registered, 1);
}

TEST_F(OidcFlowTest, VerifiedEmailLinksToTheExistingAccount) {
  v1::RegisterRequest reg;
  reg.set_email("Siti@Gmail.com");
  reg.set_password("kopi susu gula aren");
  reg.set_name("Siti");
  auto existing = Auth().Register(reg);
  ASSERT_TRUE(existing.ok());
  auto res = SignIn();
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->user().id(), existing->user().id());
  EXPECT_TRUE(res->user().has_password());
}

TEST_F(OidcFlowTest, UnverifiedEmailIsRefused) {
  ProviderIdentity unverified;
  unverified.email_verified = false;
  auto res = SignIn(unverified);
  ASSERT_EQ(res.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(res.status().message(), HasSubstr("verified"));
}

TEST_F(OidcFlowTest, EmailFromUserInfoWhenTheIdTokenLeavesItOut) {
  provider_.quirks.email_only_in_userinfo = true;
  auto res = SignIn();
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->user().email(), "siti@gmail.com");
}

TEST_F(OidcFlowTest, StateIsSingleUseAndExpires) {
  v1::OidcStartResponse started = Start();
  const std::string code = provider_.Authorize(started.authorization_url(), {});
  ASSERT_TRUE(Callback(code, started.state()).ok());
  auto replay = Callback(code, started.state());
  ASSERT_EQ(replay.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(replay.status().field_errors()[0].field, "state");

  EXPECT_EQ(Callback("x", "forged-state").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Callback("", started.state()).status().code(), StatusCode::kInvalidArgument);

  v1::OidcStartResponse late = Start();
  const std::string late_code = provider_.Authorize(late.authorization_url(), {});
  harness_->clock.Advance(601s);
  EXPECT_EQ(Callback(late_code, late.state()).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OidcFlowTest, CodeOfAnotherSignInIsRefusedByPkce) {
  v1::OidcStartResponse mine = Start();
  v1::OidcStartResponse theirs = Start();
  const std::string their_code = provider_.Authorize(theirs.authorization_url(), {});
  // An attacker injects their code into my callback: my verifier does not match their challenge.
  auto res = Callback(their_code, mine.state());
  ASSERT_EQ(res.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(res.status().message(), HasSubstr("invalid_grant"));
}

TEST_F(OidcFlowTest, IdTokenChecks) {
  provider_.quirks.nonce = "someone-elses-nonce";
  EXPECT_THAT(SignIn().status().message(), HasSubstr("nonce"));
  provider_.quirks = {};
  provider_.quirks.audience = "another-client";
  EXPECT_EQ(SignIn().status().code(), StatusCode::kUnauthenticated);
  provider_.quirks = {};
  provider_.quirks.issuer = "https://evil.example.com";
  EXPECT_EQ(SignIn().status().code(), StatusCode::kUnauthenticated);
  provider_.quirks = {};
  provider_.quirks.sign_with_unpublished_key = true;
  EXPECT_EQ(SignIn().status().code(), StatusCode::kUnauthenticated);
  provider_.quirks = {};
  EXPECT_TRUE(SignIn().ok());
}

TEST_F(OidcFlowTest, ProviderKeyRotationIsFollowed) {
  ASSERT_TRUE(SignIn().ok());
  const int fetches = provider_.jwks_fetches.load();
  ASSERT_TRUE(SignIn().ok());
  EXPECT_EQ(provider_.jwks_fetches.load(), fetches);  // cached
  provider_.RotateKey();
  ASSERT_TRUE(SignIn().ok());  // unknown kid → refetch
  EXPECT_EQ(provider_.jwks_fetches.load(), fetches + 1);
}

TEST(OidcOff, StartAndCallbackAreNotFound) {
  AuthHarness h(testing::Backend::kSqlite, testing::TestConfig());
  v1::OidcStartRequest r;
  r.set_redirect_uri(kRedirect);
  EXPECT_EQ(h.service->OidcStart(r).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(h.service->OidcCallback({}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace milkyhoop::auth
