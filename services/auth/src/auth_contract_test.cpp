// Contract of AuthService, run against every way a caller can hold one — the implementation
// itself and the implementation behind a real gRPC server and client — on SQLite, and on
// PostgreSQL when MILKYHOOP_TEST_PG_DSN is set.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <grpcpp/channel.h>

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/auth/auth_grpc.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/jwt_verifier.hpp"
#include "milkyhoop/crypto/totp.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/auth_fixture.hpp"

namespace milkyhoop::auth {
namespace {

using namespace std::chrono_literals;
using testing::AuthHarness;
using testing::Backend;
using ::testing::HasSubstr;

constexpr char kPassword[] = "correct horse battery staple";

class ThreadExecutor {
 public:
  ~ThreadExecutor() {
    std::lock_guard lock(mu_);
    for (std::thread& t : threads_) t.join();
  }
  rpc::Executor AsExecutor() {
    return [this](std::function<void()> task) {
      std::lock_guard lock(mu_);
      threads_.emplace_back(std::move(task));
    };
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

struct GrpcLoopback : rpc::testing::GrpcLoopback<AuthService> {
  GrpcLoopback(AuthService& impl, rpc::Executor executor)
      : rpc::testing::GrpcLoopback<AuthService>(
            impl,
            [&executor](AuthService& i) { return MakeAuthGrpcService(i, std::move(executor)); },
            [](auto channel) { return MakeAuthGrpcClient(channel, 10s); }) {}
};

enum class Transport { kInProcess, kGrpc };
using Param = std::tuple<Backend, Transport>;

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param) == Backend::kSqlite ? "Sqlite" : "Postgres") +
         (std::get<1>(info.param) == Transport::kInProcess ? "InProcess" : "Grpc");
}

class AuthContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << "MILKYHOOP_TEST_PG_DSN is not set";
    }
    harness_ = std::make_unique<AuthHarness>(std::get<0>(GetParam()), Config());
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(*harness_->service, executor_.AsExecutor());
    }
  }
  void TearDown() override {
    loopback_.reset();
    harness_.reset();
  }
  virtual AuthConfig Config() { return testing::TestConfig(); }

  AuthService& Auth() { return loopback_ ? loopback_->client() : *harness_->service; }
  ManualClock& Clock() { return harness_->clock; }

  v1::AuthResponse MustRegister(const std::string& email, const std::string& name = "Ana") {
    v1::RegisterRequest r;
    r.set_email(email);
    r.set_password(kPassword);
    r.set_name(name);
    r.set_ip("10.0.0.1");
    r.set_user_agent("test-agent");
    auto res = Auth().Register(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : v1::AuthResponse();
  }

  Result<v1::AuthResponse> Login(const std::string& email, const std::string& password,
                                 const std::string& totp = "") {
    v1::LoginRequest r;
    r.set_email(email);
    r.set_password(password);
    r.set_totp_code(totp);
    r.set_ip("10.0.0.2");
    r.set_user_agent("browser");
    return Auth().Login(r);
  }

  Result<v1::AuthResponse> Refresh(const std::string& token) {
    v1::RefreshRequest r;
    r.set_refresh_token(token);
    return Auth().Refresh(r);
  }

  // Verifies an access token with the published JWKS.
  Result<crypto::VerifiedJwt> VerifyAccess(const std::string& token) {
    auto jwks = Auth().GetJwks({});
    if (!jwks.ok()) return jwks.status();
    auto keys = crypto::ParseJwks(jwks->jwks_json());
    if (!keys.ok()) return keys.status();
    crypto::JwtVerifierOptions o;
    o.issuer = "milkyhoop";
    o.audience = "milkyhoop-api";
    auto verifier = crypto::JwtVerifier::Create(Clock(), o, keys->keys);
    if (!verifier.ok()) return verifier.status();
    return verifier->Verify(token);
  }

  std::vector<sql::OutboxEvent> Outbox() {
    auto events = sql::FetchUnsentOutbox(*harness_->db, 1000);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<sql::OutboxEvent>();
  }
  std::vector<audit::v1::AuditRecord> AuditRecords() {
    std::vector<audit::v1::AuditRecord> out;
    for (const auto& e : Outbox()) {
      if (e.type != "audit.record") continue;
      audit::v1::AuditRecord r;
      EXPECT_TRUE(r.ParseFromString(e.payload));
      out.push_back(r);
    }
    return out;
  }

  std::unique_ptr<AuthHarness> harness_;
  ThreadExecutor executor_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

TEST_P(AuthContractTest, RegisterSignsInWithAVerifiableAccessToken) {
  const v1::AuthResponse r = MustRegister("  Ana@Example.COM ", "  Ana Wijaya ");
  EXPECT_EQ(r.user().email(), "ana@example.com");
  EXPECT_EQ(r.user().name(), "Ana Wijaya");
  EXPECT_THAT(r.user().id(), ::testing::StartsWith("usr_"));
  EXPECT_TRUE(r.user().has_password());
  EXPECT_FALSE(r.user().mfa_enabled());
  EXPECT_EQ(r.token_type(), "Bearer");
  EXPECT_EQ(r.expires_in(), 900);
  EXPECT_EQ(r.refresh_token().size(), 43u);  // 32 bytes, base64url
  auto jwt = VerifyAccess(r.access_token());
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->claims["sub"], r.user().id());
  EXPECT_EQ(jwt->claims["sid"], r.session_id());
  EXPECT_EQ(jwt->claims["aud"], "milkyhoop-api");
  EXPECT_EQ(jwt->claims["exp"].get<std::int64_t>() - jwt->claims["iat"].get<std::int64_t>(), 900);
  EXPECT_TRUE(jwt->claims.contains("jti"));
  EXPECT_TRUE(jwt->claims.contains("nbf"));
  EXPECT_EQ(jwt->header["alg"], "EdDSA");
  EXPECT_EQ(jwt->header["kid"], jwt->kid);
}

TEST_P(AuthContractTest, RegisterEmitsUserRegisteredAndAudit) {
  const v1::AuthResponse r = MustRegister("budi@example.com", "Budi");
  bool registered = false;
  for (const auto& e : Outbox()) {
    if (e.type != "auth.user.registered") continue;
    org::v1::UserRegistered payload;
    ASSERT_TRUE(payload.ParseFromString(e.payload));
    EXPECT_EQ(payload.user_id(), r.user().id());
    EXPECT_EQ(payload.email(), "budi@example.com");
    EXPECT_EQ(payload.name(), "Budi");
    EXPECT_EQ(e.tenant_id, "");
    registered = true;
  }
  EXPECT_TRUE(registered);
  auto records = AuditRecords();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().action(), "user.registered");
  EXPECT_EQ(records.back().org_id(), "");
  EXPECT_EQ(records.back().actor_id(), r.user().id());
  EXPECT_EQ(records.back().ip(), "10.0.0.1");
  EXPECT_EQ(records.back().user_agent(), "test-agent");
  EXPECT_EQ(records.back().result(), "success");
}

TEST_P(AuthContractTest, TakenEmailIsAlreadyExistsWhateverItsCase) {
  MustRegister("citra@example.com");
  v1::RegisterRequest r;
  r.set_email("CITRA@example.com");
  r.set_password(kPassword);
  r.set_name("Other");
  auto res = Auth().Register(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kAlreadyExists);
  ASSERT_EQ(res.status().field_errors().size(), 1u);
  EXPECT_EQ(res.status().field_errors()[0].field, "email");
}

TEST_P(AuthContractTest, RegisterValidatesEveryField) {
  struct Case {
    std::string email, password, name, field;
  };
  for (const Case& c : std::vector<Case>{
           {"not-an-email", kPassword, "A", "email"},
           {"a@b", kPassword, "A", "email"},
           {"x@example.com", "short", "A", "password"},
           {"x@example.com", std::string(129, 'a'), "A", "password"},
           {"x@example.com", "password123", "A", "password"},
           {"x@example.com", "Qwerty123", "A", "password"},
           {"wijaya@example.com", "my-wijaya-2024!", "A", "password"},
           {"x@example.com", kPassword, "   ", "name"},
           {"x@example.com", kPassword, std::string(101, 'n'), "name"},
       }) {
    v1::RegisterRequest r;
    r.set_email(c.email);
    r.set_password(c.password);
    r.set_name(c.name);
    auto res = Auth().Register(r);
    ASSERT_FALSE(res.ok()) << c.email << " " << c.password;
    EXPECT_EQ(res.status().code(), StatusCode::kInvalidArgument);
    ASSERT_FALSE(res.status().field_errors().empty());
    EXPECT_EQ(res.status().field_errors()[0].field, c.field) << res.status().ToString();
  }
  v1::RegisterRequest all_bad;
  auto res = Auth().Register(all_bad);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().field_errors().size(), 3u) << res.status().ToString();
}

TEST_P(AuthContractTest, WrongPasswordAndUnknownEmailAnswerTheSame) {
  MustRegister("dewi@example.com");
  auto ok = Login("DEWI@example.com", kPassword);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto wrong = Login("dewi@example.com", "wrong password here");
  auto unknown = Login("nobody@example.com", "wrong password here");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().code(), unknown.status().code());
  EXPECT_EQ(wrong.status().message(), kInvalidCredentialsMessage);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_EQ(wrong.status().field_errors(), unknown.status().field_errors());
  auto records = AuditRecords();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records.back().action(), "user.logged_in");
  EXPECT_EQ(records.back().result(), "failure");
}

TEST_P(AuthContractTest, LockoutGrowsAndASuccessResetsIt) {
  MustRegister("eko@example.com");
  const std::vector<std::int64_t> expected = {300, 900, 1800, 3600, 3600};
  for (std::int64_t delay : expected) {
    for (int i = 0; i < 5; ++i) {
      auto res = Login("eko@example.com", "not the password");
      ASSERT_EQ(res.status().code(), StatusCode::kUnauthenticated) << i;
    }
    auto locked = Login("eko@example.com", kPassword);  // even the right password waits
    ASSERT_EQ(locked.status().code(), StatusCode::kResourceExhausted) << locked.status().ToString();
    EXPECT_EQ(RetryAfterSeconds(locked.status()), delay);
    Clock().Advance(std::chrono::seconds(delay - 10));
    EXPECT_EQ(RetryAfterSeconds(Login("eko@example.com", kPassword).status()), 10);
    Clock().Advance(10s);
  }
  ASSERT_TRUE(Login("eko@example.com", kPassword).ok());
  // Reset: four failures do not lock, and the next lock is the first delay again.
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("eko@example.com", "nope nope").ok());
  ASSERT_TRUE(Login("eko@example.com", kPassword).ok());
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(Login("eko@example.com", "nope nope").ok());
  EXPECT_EQ(RetryAfterSeconds(Login("eko@example.com", kPassword).status()), 300);
}

TEST_P(AuthContractTest, UnknownEmailsLockTooSoLockoutRevealsNothing) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(Login("ghost@example.com", "whatever 123").ok());
  auto locked = Login("ghost@example.com", "whatever 123");
  EXPECT_EQ(locked.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfterSeconds(locked.status()), 300);
}

TEST_P(AuthContractTest, RefreshRotatesAndReuseRevokesTheSession) {
  const v1::AuthResponse first = MustRegister("fajar@example.com");
  auto second = Refresh(first.refresh_token());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->refresh_token(), first.refresh_token());
  EXPECT_EQ(second->session_id(), first.session_id());
  EXPECT_EQ(second->user().id(), first.user().id());
  ASSERT_TRUE(VerifyAccess(second->access_token()).ok());
  auto third = Refresh(second->refresh_token());
  ASSERT_TRUE(third.ok());

  auto replay = Refresh(first.refresh_token());  // spent: someone copied it
  ASSERT_EQ(replay.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(replay.status().message(), HasSubstr("revoked"));
  // The whole family is gone, including the newest token.
  EXPECT_EQ(Refresh(third->refresh_token()).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditRecords().back().action(), "session.refresh_token_reused");
  EXPECT_EQ(Refresh("garbage").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Refresh("").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(AuthContractTest, SessionsExpireWhenIdle) {
  const v1::AuthResponse r = MustRegister("gita@example.com");
  Clock().Advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(Refresh(r.refresh_token()).status().code(), StatusCode::kUnauthenticated);
}

TEST_P(AuthContractTest, LogoutEndsTheSessionAndIsIdempotent) {
  const v1::AuthResponse r = MustRegister("hadi@example.com");
  v1::LogoutRequest out;
  out.set_refresh_token(r.refresh_token());
  ASSERT_TRUE(Auth().Logout(out).ok());
  EXPECT_EQ(Refresh(r.refresh_token()).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(Auth().Logout(out).ok());
  EXPECT_EQ(AuditRecords().back().action(), "user.logged_out");
}

TEST_P(AuthContractTest, SessionsAreListedAndRevocableOnlyByTheirOwner) {
  const v1::AuthResponse a1 = MustRegister("indah@example.com");
  Clock().Advance(1s);
  auto a2 = Login("indah@example.com", kPassword);
  ASSERT_TRUE(a2.ok());
  const v1::AuthResponse other = MustRegister("joko@example.com");

  v1::ListSessionsRequest list;
  list.set_user_id(a1.user().id());
  list.set_current_session_id(a2->session_id());
  auto sessions = Auth().ListSessions(list);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->sessions_size(), 2);
  EXPECT_EQ(sessions->sessions(0).id(), a2->session_id());  // newest first
  EXPECT_TRUE(sessions->sessions(0).current());
  EXPECT_FALSE(sessions->sessions(1).current());
  EXPECT_EQ(sessions->sessions(0).ip(), "10.0.0.2");
  EXPECT_EQ(sessions->sessions(0).user_agent(), "browser");
  EXPECT_GT(sessions->sessions(0).expires_at(), sessions->sessions(0).created_at());

  v1::RevokeSessionRequest foreign;
  foreign.set_user_id(other.user().id());
  foreign.set_session_id(a1.session_id());
  EXPECT_EQ(Auth().RevokeSession(foreign).status().code(), StatusCode::kNotFound);

  v1::RevokeSessionRequest revoke;
  revoke.set_user_id(a1.user().id());
  revoke.set_session_id(a1.session_id());
  ASSERT_TRUE(Auth().RevokeSession(revoke).ok());
  EXPECT_EQ(Auth().RevokeSession(revoke).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Refresh(a1.refresh_token()).status().code(), StatusCode::kUnauthenticated);
  sessions = Auth().ListSessions(list);
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->sessions_size(), 1);
  EXPECT_EQ(AuditRecords().back().action(), "session.revoked");
}

TEST_P(AuthContractTest, UsersAreFoundByIdAndEmail) {
  const v1::AuthResponse r = MustRegister("kartika@example.com", "Kartika");
  v1::GetUserRequest get;
  get.set_user_id(r.user().id());
  auto user = Auth().GetUser(get);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->user().email(), "kartika@example.com");
  v1::FindUserByEmailRequest find;
  find.set_email(" KARTIKA@example.com");
  auto found = Auth().FindUserByEmail(find);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user().id(), r.user().id());
  find.set_email("nobody@example.com");
  EXPECT_EQ(Auth().FindUserByEmail(find).status().code(), StatusCode::kNotFound);
  get.set_user_id("usr_missing");
  EXPECT_EQ(Auth().GetUser(get).status().code(), StatusCode::kNotFound);
}

std::string CodeAt(const std::string& base32_secret, Clock::TimePoint t) {
  auto secret = crypto::Base32Decode(base32_secret);
  EXPECT_TRUE(secret.ok());
  return crypto::Totp(crypto::SecretBytes(*secret)).CodeAt(t);
}

TEST_P(AuthContractTest, TotpSetupEnableLoginReplayAndDisable) {
  const v1::AuthResponse r = MustRegister("lina@example.com");
  v1::TotpSetupRequest setup;
  setup.set_user_id(r.user().id());
  auto secret = Auth().TotpSetup(setup);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_EQ(secret->secret().size(), 32u);  // 20 bytes in base32
  EXPECT_THAT(secret->otpauth_url(), HasSubstr("otpauth://totp/MilkyHoop:lina%40example.com"));
  EXPECT_THAT(secret->otpauth_url(), HasSubstr("secret=" + secret->secret()));
  // Not enabled until confirmed: login needs no code yet.
  ASSERT_TRUE(Login("lina@example.com", kPassword).ok());

  v1::TotpCodeRequest enable;
  enable.set_user_id(r.user().id());
  enable.set_code("000000" == CodeAt(secret->secret(), Clock().Now()) ? "111111" : "000000");
  EXPECT_EQ(Auth().TotpEnable(enable).status().code(), StatusCode::kInvalidArgument);
  enable.set_code("12ab56");
  EXPECT_EQ(Auth().TotpEnable(enable).status().code(), StatusCode::kInvalidArgument);
  enable.set_code(CodeAt(secret->secret(), Clock().Now()));
  auto enabled = Auth().TotpEnable(enable);
  ASSERT_TRUE(enabled.ok()) << enabled.status().ToString();
  EXPECT_TRUE(enabled->mfa_enabled());
  EXPECT_EQ(AuditRecords().back().action(), "mfa.totp_enabled");
  EXPECT_EQ(Auth().TotpSetup(setup).status().code(), StatusCode::kFailedPrecondition);

  auto missing = Login("lina@example.com", kPassword);
  ASSERT_EQ(missing.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(missing.status().message(), kTotpRequiredMessage);
  ASSERT_EQ(missing.status().field_errors().size(), 1u);
  EXPECT_EQ(missing.status().field_errors()[0].field, "totp_code");
  // The code that enabled it was used: the same time step is refused.
  auto replay = Login("lina@example.com", kPassword, enable.code());
  EXPECT_EQ(replay.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(replay.status().message(), kInvalidTotpMessage);

  Clock().Advance(30s);
  const std::string code = CodeAt(secret->secret(), Clock().Now());
  auto ok = Login("lina@example.com", kPassword, code);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->user().mfa_enabled());
  EXPECT_EQ(Login("lina@example.com", kPassword, code).status().message(), kInvalidTotpMessage);
  // A right code with a wrong password is still the generic answer.
  Clock().Advance(30s);
  EXPECT_EQ(Login("lina@example.com", "wrong password!", CodeAt(secret->secret(), Clock().Now()))
                .status()
                .message(),
            kInvalidCredentialsMessage);

  v1::TotpCodeRequest disable;
  disable.set_user_id(r.user().id());
  disable.set_code(CodeAt(secret->secret(), Clock().Now()));
  auto disabled = Auth().TotpDisable(disable);
  ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
  EXPECT_FALSE(disabled->mfa_enabled());
  EXPECT_EQ(AuditRecords().back().action(), "mfa.totp_disabled");
  EXPECT_TRUE(Login("lina@example.com", kPassword).ok());
  EXPECT_EQ(Auth().TotpDisable(disable).status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(AuthContractTest, RotationKeepsOldTokensValidUntilTheyExpire) {
  const v1::AuthResponse before = MustRegister("maya@example.com");
  auto old_jwt = VerifyAccess(before.access_token());
  ASSERT_TRUE(old_jwt.ok());
  auto rotated = Auth().RotateSigningKey({});
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_NE(rotated->kid(), old_jwt->kid);
  EXPECT_TRUE(VerifyAccess(before.access_token()).ok());  // nobody is logged out
  auto after = Login("maya@example.com", kPassword);
  ASSERT_TRUE(after.ok());
  auto new_jwt = VerifyAccess(after->access_token());
  ASSERT_TRUE(new_jwt.ok());
  EXPECT_EQ(new_jwt->kid, rotated->kid());
  auto jwks = Auth().GetJwks({});
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(crypto::ParseJwks(jwks->jwks_json())->keys.size(), 2u);
  // Past the last moment an old token can be valid, the old key is no longer published.
  Clock().Advance(std::chrono::minutes(21));
  jwks = Auth().GetJwks({});
  ASSERT_TRUE(jwks.ok());
  auto keys = crypto::ParseJwks(jwks->jwks_json());
  ASSERT_EQ(keys->keys.size(), 1u);
  EXPECT_EQ(keys->keys[0].kid(), rotated->kid());
}

TEST_P(AuthContractTest, JwksNeverHoldsPrivateMembers) {
  auto jwks = Auth().GetJwks({});
  ASSERT_TRUE(jwks.ok());
  auto doc = nlohmann::json::parse(jwks->jwks_json());
  ASSERT_EQ(doc["keys"].size(), 1u);
  EXPECT_EQ(doc["keys"][0]["kty"], "OKP");
  EXPECT_FALSE(doc["keys"][0].contains("d"));
}

INSTANTIATE_TEST_SUITE_P(Transports, AuthContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::Values(Transport::kInProcess,
                                                              Transport::kGrpc)),
                         ParamName);

// ---- implementation-level properties (storage, restarts, algorithms) ---------------------

class AuthStorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << "MILKYHOOP_TEST_PG_DSN is not set";
    }
  }
};

TEST_P(AuthStorageTest, SigningKeysAreStoredSealedAndReusedAfterARestart) {
  AuthHarness h(GetParam(), testing::TestConfig());
  auto rows = h.db->Query("SELECT private_sealed, kid FROM signing_keys");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_THAT(rows->Text(0, 0), ::testing::Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(rows->Text(0, 0), ::testing::StartsWith("v1."));
  auto restarted = h.NewService(testing::TestConfig());
  ASSERT_TRUE(restarted.ok());
  auto again = h.db->Query("SELECT kid FROM signing_keys");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 1u);
}

TEST_P(AuthStorageTest, ChangingTheAlgorithmRotatesAndRefreshTokensAreHashed) {
  AuthHarness h(GetParam(), testing::TestConfig());
  AuthConfig rs = testing::TestConfig();
  rs.jwt_algorithm = "RS256";
  auto service = h.NewService(rs);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  v1::RegisterRequest r;
  r.set_email("nina@example.com");
  r.set_password(kPassword);
  r.set_name("Nina");
  auto reg = (*service)->Register(r);
  ASSERT_TRUE(reg.ok());
  auto header = nlohmann::json::parse(
      *crypto::Base64UrlDecode(reg->access_token().substr(0, reg->access_token().find('.'))));
  EXPECT_EQ(header["alg"], "RS256");
  auto jwks = nlohmann::json::parse((*service)->GetJwks({})->jwks_json());
  EXPECT_EQ(jwks["keys"].size(), 2u);  // the retired EdDSA key is still published
  auto stored = h.db->Query("SELECT token_hash FROM refresh_tokens");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_NE(stored->Text(0, 0), reg->refresh_token());
  EXPECT_EQ(stored->Text(0, 0).size(), 64u);
}

TEST_P(AuthStorageTest, Hs256TokensVerifyOnlyWithLocalKeysAndAreNeverPublished) {
  AuthConfig hs = testing::TestConfig();
  hs.jwt_algorithm = "HS256";
  AuthHarness h(GetParam(), hs);
  auto jwks = nlohmann::json::parse(h.service->GetJwks({})->jwks_json());
  EXPECT_TRUE(jwks["keys"].empty());
  auto local = LocalVerificationKeys(*h.service);
  ASSERT_TRUE(local.ok());
  auto keys = (*local)();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_TRUE((*keys)[0].is_symmetric());
  v1::RegisterRequest r;
  r.set_email("oki@example.com");
  r.set_password(kPassword);
  r.set_name("Oki");
  auto reg = h.service->Register(r);
  ASSERT_TRUE(reg.ok());
  crypto::JwtVerifierOptions o;
  o.issuer = "milkyhoop";
  o.audience = "milkyhoop-api";
  auto verifier = crypto::JwtVerifier::Create(h.clock, o, *keys);
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(verifier->Verify(reg->access_token()).ok());
}

TEST_P(AuthStorageTest, ConcurrentRefreshesOfOneTokenLetOneWin) {
  AuthHarness h(GetParam(), testing::TestConfig());
  v1::RegisterRequest r;
  r.set_email("putu@example.com");
  r.set_password(kPassword);
  r.set_name("Putu");
  auto reg = h.service->Register(r);
  ASSERT_TRUE(reg.ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      v1::RefreshRequest rr;
      rr.set_refresh_token(reg->refresh_token());
      if (h.service->Refresh(rr).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(ok.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthStorageTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return std::string(info.param == Backend::kSqlite ? "Sqlite"
                                                                             : "Postgres");
                         });

}  // namespace
}  // namespace milkyhoop::auth
