#include "milkyhoop/gateway/token_authenticator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/http/request.hpp"
#include "testing/auth_fixture.hpp"

namespace milkyhoop::gateway {
namespace {

using namespace std::chrono_literals;
using auth::testing::AuthHarness;
using ::testing::HasSubstr;

class TokenAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::v1::RegisterRequest r;
    r.set_email("rina@example.com");
    r.set_password("kopi susu gula aren");
    r.set_name("Rina");
    auto reg = harness_.service->Register(r);
    ASSERT_TRUE(reg.ok()) << reg.status().ToString();
    tokens_ = *reg;
    authenticator_ = Make();
  }

  std::unique_ptr<TokenAuthenticator> Make(TokenAuthenticatorOptions options = {}) {
    VerificationKeySource counted = [this, inner = JwksKeySource(*harness_.service)] {
      ++fetches_;
      if (auth_down_) return Result<std::vector<crypto::JwtKey>>(Unavailable("down"));
      if (no_keys_published_)
        return Result<std::vector<crypto::JwtKey>>(std::vector<crypto::JwtKey>{});
      return inner();
    };
    ApiKeyVerifier api_keys = [this](std::string_view secret) -> Result<http::Principal> {
      last_api_key_ = std::string(secret);
      if (secret != "mh_good") return Unauthenticated("invalid API key");
      http::Principal p;
      p.kind = http::Principal::Kind::kApiKey;
      p.subject_id = "key_1";
      p.org_id = "org_1";
      return p;
    };
    auto made = TokenAuthenticator::Create(options, counted, api_keys, harness_.clock);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return std::move(made).value();
  }

  Result<std::optional<http::Principal>> With(
      std::vector<std::pair<std::string, std::string>> headers) {
    stored_ = std::move(headers);
    http::Request request;
    for (const auto& [k, v] : stored_) request.headers.emplace_back(k, v);
    return authenticator_->Authenticate(request);
  }
  Result<std::optional<http::Principal>> Bearer(const std::string& token) {
    return With({{"Authorization", "Bearer " + token}});
  }

  AuthHarness harness_{auth::testing::Backend::kSqlite, auth::testing::TestConfig()};
  auth::v1::AuthResponse tokens_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  std::atomic<int> fetches_{0};
  bool auth_down_ = false;
  bool no_keys_published_ = false;
  std::string last_api_key_;
  std::vector<std::pair<std::string, std::string>> stored_;
};

TEST_F(TokenAuthenticatorTest, NoCredentialsIsNobody) {
  auto who = With({});
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->has_value());
  EXPECT_EQ(fetches_.load(), 0);  // keys are fetched only when a token needs them
}

TEST_F(TokenAuthenticatorTest, ValidAccessTokenIsTheUserAndSession) {
  auto who = Bearer(tokens_.access_token());
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_TRUE(who->has_value());
  EXPECT_EQ((*who)->kind, http::Principal::Kind::kUser);
  EXPECT_EQ((*who)->subject_id, tokens_.user().id());
  EXPECT_EQ((*who)->session_id, tokens_.session_id());
  // Case-insensitive scheme, cached keys.
  ASSERT_TRUE(With({{"authorization", "bearer " + tokens_.access_token()}}).ok());
  EXPECT_EQ(fetches_.load(), 1);
}

TEST_F(TokenAuthenticatorTest, ForgedSignatureIsRefused) {
  std::string token = tokens_.access_token();
  char& last = token[token.size() - 5];
  last = last == 'A' ? 'B' : 'A';
  auto who = Bearer(token);
  ASSERT_EQ(who.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(who.status().message(), HasSubstr("invalid access token"));
}

TEST_F(TokenAuthenticatorTest, AlgNoneAndUnpinnedAlgorithmsAreRefused) {
  const std::string payload = tokens_.access_token().substr(
      tokens_.access_token().find('.') + 1,
      tokens_.access_token().rfind('.') - tokens_.access_token().find('.') - 1);
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS256","kid":"x"})",
                             R"({"alg":"RS256","kid":"x"})"}) {
    const std::string token = crypto::Base64UrlEncode(header) + "." + payload + ".";
    auto who = Bearer(token);
    ASSERT_EQ(who.status().code(), StatusCode::kUnauthenticated) << header;
    EXPECT_THAT(who.status().message(), HasSubstr("is not accepted")) << header;
  }
  EXPECT_EQ(Bearer("not-a-jwt").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Bearer("a.b.c").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(TokenAuthenticatorTest, ExpiredTokenIsRefused) {
  harness_.clock.Advance(15min + 31s);
  auto who = Bearer(tokens_.access_token());
  ASSERT_EQ(who.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(who.status().message(), HasSubstr("exp"));
}

TEST_F(TokenAuthenticatorTest, WrongAudienceOrIssuerIsRefused) {
  TokenAuthenticatorOptions other;
  other.audience = "another-api";
  authenticator_ = Make(other);
  EXPECT_EQ(Bearer(tokens_.access_token()).status().code(), StatusCode::kUnauthenticated);
  other = {};
  other.issuer = "someone-else";
  authenticator_ = Make(other);
  EXPECT_EQ(Bearer(tokens_.access_token()).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(TokenAuthenticatorTest, ApiKeysAreDelegated) {
  auto bearer = With({{"Authorization", "Bearer mh_good"}});
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ((*bearer)->kind, http::Principal::Kind::kApiKey);
  EXPECT_EQ((*bearer)->org_id, "org_1");
  auto header = With({{"X-API-Key", "mh_good"}});
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(last_api_key_, "mh_good");
  EXPECT_EQ(With({{"X-API-Key", "mh_bad"}}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(With({{"X-API-Key", "not-a-key"}}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(With({{"X-API-Key", "mh_good"}, {"Authorization", "Bearer x"}}).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(TokenAuthenticatorTest, OtherSchemesAndEmptyTokensAreRefused) {
  EXPECT_THAT(With({{"Authorization", "Basic dXNlcjpwdw=="}}).status().message(),
              HasSubstr("scheme"));
  EXPECT_EQ(With({{"Authorization", "Bearer    "}}).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(TokenAuthenticatorTest, RotationIsPickedUpAndUnknownKidsCannotForceFetches) {
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());
  ASSERT_EQ(fetches_.load(), 1);
  ASSERT_TRUE(harness_.service->RotateSigningKey({}).ok());
  auth::v1::LoginRequest login;
  login.set_email("rina@example.com");
  login.set_password("kopi susu gula aren");
  auto fresh = harness_.service->Login(login);
  ASSERT_TRUE(fresh.ok());
  // The cache is younger than min_key_refresh (30 s): the new kid waits for it.
  EXPECT_EQ(Bearer(fresh->access_token()).status().code(), StatusCode::kUnauthenticated);
  harness_.clock.Advance(1s);
  TokenAuthenticatorOptions quick;
  quick.min_key_refresh = 0s;
  authenticator_ = Make(quick);
  const int before = fetches_.load();
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());  // old key still published
  ASSERT_TRUE(Bearer(fresh->access_token()).ok());
  EXPECT_EQ(fetches_.load(), before + 1);
}

// A token is decoded and checked once; later uses are answered from memory, and must still
// expire on time and stop working when its key is withdrawn.
TEST_F(TokenAuthenticatorTest, AnAcceptedTokenStillExpiresOnTime) {
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());
  harness_.clock.Advance(15min + 29s);  // within the 30 s skew
  auto still = Bearer(tokens_.access_token());
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  EXPECT_EQ((*still)->session_id, tokens_.session_id());
  harness_.clock.Advance(2s);
  EXPECT_EQ(Bearer(tokens_.access_token()).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(TokenAuthenticatorTest, AnAcceptedTokenIsRefusedOnceItsKeyIsWithdrawn) {
  TokenAuthenticatorOptions quick;
  quick.min_key_refresh = 0s;
  authenticator_ = Make(quick);
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());
  // The auth service stops publishing the key; a token naming an unknown kid makes the
  // gateway fetch the key set again.
  no_keys_published_ = true;
  const std::string token = tokens_.access_token();
  const std::string unknown_kid =
      crypto::Base64UrlEncode(R"({"alg":"EdDSA","kid":"withdrawn-test"})") +
      token.substr(token.find('.'));
  EXPECT_EQ(Bearer(unknown_kid).status().code(), StatusCode::kUnauthenticated);
  auto who = Bearer(token);
  ASSERT_EQ(who.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(who.status().message(), HasSubstr("invalid access token"));
}

TEST_F(TokenAuthenticatorTest, AForgedTokenIsRefusedEveryTime) {
  ASSERT_TRUE(Bearer(tokens_.access_token()).ok());
  std::string forged = tokens_.access_token();
  char& last = forged[forged.size() - 5];
  last = last == 'A' ? 'B' : 'A';
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Bearer(forged).status().code(), StatusCode::kUnauthenticated) << i;
  }
}

TEST_F(TokenAuthenticatorTest, AuthServiceDownIsUnavailableNotUnauthenticated) {
  auth_down_ = true;
  auto who = Bearer(tokens_.access_token());
  EXPECT_EQ(who.status().code(), StatusCode::kUnavailable);
  // Not retried on every request.
  const int fetches = fetches_.load();
  EXPECT_EQ(Bearer(tokens_.access_token()).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(fetches_.load(), fetches);
}

TEST_F(TokenAuthenticatorTest, Hs256WithLocalKeys) {
  auth::AuthConfig hs = auth::testing::TestConfig();
  hs.jwt_algorithm = "HS256";
  AuthHarness local(auth::testing::Backend::kSqlite, hs);
  auth::v1::RegisterRequest r;
  r.set_email("sari@example.com");
  r.set_password("kopi susu gula aren");
  r.set_name("Sari");
  auto reg = local.service->Register(r);
  ASSERT_TRUE(reg.ok());
  auto keys = auth::LocalVerificationKeys(*local.service);
  ASSERT_TRUE(keys.ok());
  TokenAuthenticatorOptions options;
  options.algorithms = {"HS256"};
  auto authenticator = TokenAuthenticator::Create(options, *keys, {}, local.clock);
  ASSERT_TRUE(authenticator.ok());
  auto who = (*authenticator)->VerifyAccessToken(reg->access_token());
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->subject_id, reg->user().id());
  // Public keys only: an HS256 token cannot be verified from the JWKS.
  auto published =
      TokenAuthenticator::Create(options, JwksKeySource(*local.service), {}, local.clock);
  ASSERT_TRUE(published.ok());
  EXPECT_FALSE((*published)->VerifyAccessToken(reg->access_token()).ok());
}

}  // namespace
}  // namespace milkyhoop::gateway
