// JwtSigner + JwtVerifier: tokens that must verify, and every way a token must be rejected.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "jwt_key_impl.hpp"
#include "jwt_signature.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/crypto/jwt_signer.hpp"
#include "milkyhoop/crypto/jwt_verifier.hpp"

namespace milkyhoop::crypto {
namespace {

using Json = nlohmann::json;
using std::chrono::seconds;

constexpr char kIssuer[] = "https://auth.milkyhoop.test";
constexpr char kAudience[] = "milkyhoop-api";

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    std::abort();
  }
  return std::move(r).value();
}

// A token with any header and payload bytes, signed by `key` through the raw JWS primitive, so
// tests can build what a real signer never would.
std::string RawToken(const std::string& header, const std::string& payload, const JwtKey& key) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  const std::string sig = Must(internal::SignJws(internal::JwtKeyAccess::Get(key), input));
  return input + "." + Base64UrlEncode(sig);
}

class JwtTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    ed_ = new JwtKey(Must(JwtKey::GenerateEd25519("ed-1")));
    ed_other_ = new JwtKey(Must(JwtKey::GenerateEd25519("ed-1")));  // same kid, other key
    rsa_ = new JwtKey(Must(JwtKey::GenerateRsa("rsa-1")));
    ec_ = new JwtKey(Must(JwtKey::GenerateEs256("ec-1")));
    hs_ = new JwtKey(Must(JwtKey::FromHmacSecret("hs-1", std::string(32, 'k'))));
  }
  static void TearDownTestSuite() {
    for (JwtKey* k : {ed_, ed_other_, rsa_, ec_, hs_}) delete k;
  }

  JwtVerifier Verifier(std::vector<JwtKey> keys = {*ed_, *rsa_, *ec_, *hs_}) {
    return Must(
        JwtVerifier::Create(clock_, {.issuer = kIssuer, .audience = kAudience}, std::move(keys)));
  }

  Json Claims(seconds ttl = seconds(900)) {
    Json claims = {{"org", "org_123"}, {"roles", {"owner"}}};
    SetStandardClaims(claims, {.issuer = kIssuer,
                               .subject = "usr_1",
                               .audience = {kAudience},
                               .issued_at = clock_.Now(),
                               .time_to_live = ttl});
    return claims;
  }

  std::string Sign(const JwtKey& key, const Json& claims) {
    return Must(Must(JwtSigner::Create(key)).Sign(claims));
  }

  // The verification error for `token`, which must be kUnauthenticated.
  std::string Rejection(const JwtVerifier& verifier, std::string_view token) {
    Result<VerifiedJwt> verified = verifier.Verify(token);
    EXPECT_FALSE(verified.ok());
    if (verified.ok()) return "";
    EXPECT_EQ(verified.status().code(), StatusCode::kUnauthenticated)
        << verified.status().ToString();
    return verified.status().message();
  }

  static inline JwtKey* ed_ = nullptr;
  static inline JwtKey* ed_other_ = nullptr;
  static inline JwtKey* rsa_ = nullptr;
  static inline JwtKey* ec_ = nullptr;
  static inline JwtKey* hs_ = nullptr;
  ManualClock clock_;
};

TEST_F(JwtTest, TokensOfEveryAlgorithmVerify) {
  const JwtVerifier verifier = Verifier();
  for (const JwtKey* key : {ed_, rsa_, ec_, hs_}) {
    const std::string token = Sign(*key, Claims());
    Result<VerifiedJwt> verified = verifier.Verify(token);
    ASSERT_TRUE(verified.ok()) << JwtAlgorithmName(key->algorithm()) << ": "
                               << verified.status().ToString();
    EXPECT_EQ(verified->kid, key->kid());
    EXPECT_EQ(verified->algorithm, key->algorithm());
    EXPECT_EQ(verified->header["typ"], "JWT");
    EXPECT_EQ(verified->claims["sub"], "usr_1");
    EXPECT_EQ(verified->claims["org"], "org_123");
  }
}

TEST_F(JwtTest, StandardClaimsAreWholeSecondsAndAudienceShape) {
  Json claims = Json::object();
  SetStandardClaims(claims, {.issuer = "i",
                             .subject = "s",
                             .audience = {"a", "b"},
                             .issued_at = clock_.Now(),
                             .time_to_live = seconds(60),
                             .jwt_id = "j"});
  EXPECT_EQ(claims["iat"], 1'700'000'000);
  EXPECT_EQ(claims["nbf"], 1'700'000'000);
  EXPECT_EQ(claims["exp"], 1'700'000'060);
  EXPECT_EQ(claims["aud"], Json({"a", "b"}));
  EXPECT_EQ(claims["jti"], "j");
  Json random_id = Json::object();
  SetStandardClaims(random_id, {.issued_at = clock_.Now()});
  EXPECT_EQ(random_id["jti"].get<std::string>().size(), 32u);
  EXPECT_FALSE(random_id.contains("iss"));
  EXPECT_FALSE(random_id.contains("aud"));
}

TEST_F(JwtTest, SignerNeedsAPrivateKeyAndObjectClaims) {
  EXPECT_EQ(JwtSigner::Create(ed_->PublicKey()).status().code(), StatusCode::kFailedPrecondition);
  const JwtSigner signer = Must(JwtSigner::Create(*ed_));
  EXPECT_EQ(signer.Sign(Json::array()).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(JwtTest, ForgedSignatureIsRejected) {
  const JwtVerifier verifier = Verifier();
  for (const JwtKey* key : {ed_, rsa_, ec_, hs_}) {
    std::string token = Sign(*key, Claims());
    // Flip a bit in the middle of the signature (not the last character, whose low bits are
    // padding and rejected earlier as non-canonical).
    const std::size_t pos = token.rfind('.') + 5;
    token[pos] = token[pos] == 'A' ? 'B' : 'A';
    EXPECT_EQ(Rejection(verifier, token), "token signature is invalid");
  }
}

TEST_F(JwtTest, TamperedPayloadIsRejected) {
  const JwtVerifier verifier = Verifier();
  const std::string token = Sign(*ed_, Claims());
  Json evil = Claims();
  evil["roles"] = {"admin"};
  const std::size_t a = token.find('.');
  const std::size_t b = token.rfind('.');
  const std::string forged =
      token.substr(0, a + 1) + Base64UrlEncode(evil.dump()) + token.substr(b);
  EXPECT_EQ(Rejection(verifier, forged), "token signature is invalid");
}

TEST_F(JwtTest, SignatureByAnotherKeyWithTheSameKidIsRejected) {
  EXPECT_EQ(Rejection(Verifier(), Sign(*ed_other_, Claims())), "token signature is invalid");
}

TEST_F(JwtTest, ExpiredTokenIsRejectedAfterTheSkew) {
  const JwtVerifier verifier = Verifier();
  const std::string token = Sign(*ed_, Claims(seconds(300)));
  clock_.Advance(seconds(300 + 59));
  EXPECT_TRUE(verifier.Verify(token).ok()) << "within the 60 s skew";
  clock_.Advance(seconds(1));
  EXPECT_EQ(Rejection(verifier, token), "token expired at 1700000300 (now 1700000360, skew 60s)");
}

TEST_F(JwtTest, NotBeforeInTheFutureIsRejected) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims["nbf"] = 1'700'000'000 + 120;
  const std::string token = Sign(*ed_, claims);
  EXPECT_NE(Rejection(verifier, token).find("not valid before 1700000120"), std::string::npos);
  clock_.Advance(seconds(60));
  EXPECT_TRUE(verifier.Verify(token).ok()) << "nbf within the skew";
}

TEST_F(JwtTest, IssuedInTheFutureIsRejected) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims["iat"] = 1'700'000'000 + 61;
  EXPECT_NE(Rejection(verifier, Sign(*ed_, claims)).find("issued in the future"),
            std::string::npos);
  claims["iat"] = 1'700'000'000 + 60;
  EXPECT_TRUE(verifier.Verify(Sign(*ed_, claims)).ok());
}

TEST_F(JwtTest, WrongOrMissingIssuerIsRejected) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims["iss"] = "https://evil.test";
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)),
            "token issuer 'https://evil.test' is not the expected 'https://auth.milkyhoop.test'");
  claims.erase("iss");
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), "token has no iss claim");
  claims["iss"] = Json::array({kIssuer});
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), "token has no iss claim");
}

TEST_F(JwtTest, AudienceMustContainTheExpectedOne) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims["aud"] = "other-api";
  const std::string expected = "token audience does not include 'milkyhoop-api'";
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), expected);
  claims["aud"] = Json::array({"other-api", "third"});
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), expected);
  claims["aud"] = Json::array();
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), expected);
  claims.erase("aud");
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), expected);
  claims["aud"] = Json::array({"other-api", kAudience});
  EXPECT_TRUE(verifier.Verify(Sign(*ed_, claims)).ok());
}

TEST_F(JwtTest, ExpIsRequiredAndTimesMustBeNumbers) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims.erase("exp");
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), "token has no exp claim");
  claims["exp"] = "1800000000";
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), "token claim 'exp' is not a number");
  claims = Claims();
  claims["nbf"] = nullptr;
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, claims)), "token claim 'nbf' is not a number");
  claims = Claims();
  claims["exp"] = 1.7e300;  // far future, not an overflow
  EXPECT_TRUE(verifier.Verify(Sign(*ed_, claims)).ok());
  claims["exp"] = -1.7e300;
  EXPECT_NE(Rejection(verifier, Sign(*ed_, claims)).find("expired"), std::string::npos);
}

TEST_F(JwtTest, AlgNoneIsRejectedInAnyCase) {
  const JwtVerifier verifier = Verifier();
  const std::string payload = "." + Base64UrlEncode(Claims().dump()) + ".";
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    const Json header = {{"alg", alg}, {"kid", "ed-1"}};
    EXPECT_EQ(Rejection(verifier, Base64UrlEncode(header.dump()) + payload),
              "token algorithm 'none' is not accepted")
        << alg;
  }
}

// The classic algorithm confusion: an attacker takes the server's RSA public key (it is public:
// JWKS, PEM) and uses it as an HMAC secret, hoping the verifier lets the header choose HS256.
TEST_F(JwtTest, Hs256SignedWithTheRsaPublicKeyIsRejected) {
  const JwtVerifier verifier = Verifier();
  const std::string public_pem = Must(rsa_->ToPublicPem());
  const std::string input = Base64UrlEncode(Json{{"alg", "HS256"}, {"kid", "rsa-1"}}.dump()) + "." +
                            Base64UrlEncode(Claims().dump());
  const std::string forged = input + "." + Base64UrlEncode(HmacSha256(public_pem, input));
  EXPECT_EQ(Rejection(verifier, forged),
            "token algorithm HS256 does not match key 'rsa-1' (RS256)");

  // Same with the DER-less base64 body and the JWK's modulus: still the pinned algorithm wins.
  const std::string n = Must(rsa_->ToPublicJwk())["n"];
  const std::string forged_n = input + "." + Base64UrlEncode(HmacSha256(n, input));
  EXPECT_EQ(Rejection(verifier, forged_n),
            "token algorithm HS256 does not match key 'rsa-1' (RS256)");
}

TEST_F(JwtTest, AlgorithmMustMatchThePinnedOneEvenWithAValidSignature) {
  // An RS256 signature presented as "RS256" under an EdDSA key's kid.
  const JwtVerifier verifier = Verifier();
  const std::string token =
      RawToken(Json{{"alg", "RS256"}, {"kid", "ed-1"}}.dump(), Claims().dump(), *rsa_);
  EXPECT_EQ(Rejection(verifier, token), "token algorithm RS256 does not match key 'ed-1' (EdDSA)");
}

TEST_F(JwtTest, UnsupportedAlgorithmAndCritAreRejected) {
  const JwtVerifier verifier = Verifier();
  const std::string body = Base64UrlEncode(Claims().dump()) + ".AAAA";
  EXPECT_EQ(Rejection(verifier, Base64UrlEncode(R"({"alg":"RS512","kid":"rsa-1"})") + "." + body),
            "token algorithm 'RS512' is not supported");
  EXPECT_EQ(Rejection(verifier, Base64UrlEncode(R"({"kid":"rsa-1"})") + "." + body),
            "token header has no alg");
  EXPECT_EQ(Rejection(verifier, Base64UrlEncode(R"({"alg":7,"kid":"rsa-1"})") + "." + body),
            "token header has no alg");
  const std::string crit =
      RawToken(R"({"alg":"EdDSA","kid":"ed-1","crit":["exp"],"exp":1})", Claims().dump(), *ed_);
  EXPECT_EQ(Rejection(verifier, crit), "token header has unsupported 'crit'");
}

TEST_F(JwtTest, UnknownOrMissingKidIsRejected) {
  const JwtVerifier verifier = Verifier({*rsa_});
  EXPECT_EQ(Rejection(verifier, Sign(*ed_, Claims())), "unknown key id 'ed-1'");
  const std::string no_kid = RawToken(R"({"alg":"EdDSA"})", Claims().dump(), *ed_);
  EXPECT_EQ(Rejection(Verifier(), no_kid), "token header has no kid");
  // An attacker-chosen kid is quoted cut and cleaned, never raw, into the message.
  const std::string long_kid = RawToken(
      Json{{"alg", "EdDSA"}, {"kid", std::string(100, 'k') + "\n"}}.dump(), Claims().dump(), *ed_);
  EXPECT_EQ(Rejection(verifier, long_kid), "unknown key id '" + std::string(64, 'k') + "...'");
}

TEST_F(JwtTest, SegmentCountMustBeThree) {
  const JwtVerifier verifier = Verifier();
  const std::string token = Sign(*ed_, Claims());
  const std::string two = token.substr(0, token.rfind('.'));
  EXPECT_EQ(Rejection(verifier, two), "token must have 3 segments, found 2");
  EXPECT_EQ(Rejection(verifier, token + ".AAAA"), "token must have 3 segments, found 4");
  EXPECT_EQ(Rejection(verifier, "abc"), "token must have 3 segments, found 1");
  EXPECT_EQ(Rejection(verifier, ""), "token is empty");
  EXPECT_EQ(Rejection(verifier, ".."), "token header is not a JSON object");
}

TEST_F(JwtTest, EveryTruncationIsRejectedWithoutCrashing) {
  const JwtVerifier verifier = Verifier();
  for (const JwtKey* key : {ed_, rsa_, ec_, hs_}) {
    const std::string token = Sign(*key, Claims());
    for (std::size_t len = 0; len < token.size(); ++len) {
      Result<VerifiedJwt> verified = verifier.Verify(token.substr(0, len));
      ASSERT_FALSE(verified.ok()) << len;
      EXPECT_EQ(verified.status().code(), StatusCode::kUnauthenticated);
    }
  }
}

TEST_F(JwtTest, MalformedBase64AndJsonAreRejected) {
  const JwtVerifier verifier = Verifier();
  const std::string claims = Base64UrlEncode(Claims().dump());
  EXPECT_EQ(Rejection(verifier, "e30=." + claims + ".AAAA"), "token header is not valid base64url");
  EXPECT_EQ(Rejection(verifier, Base64UrlEncode("{not json") + "." + claims + ".AAAA"),
            "token header is not a JSON object");
  EXPECT_EQ(Rejection(verifier, Base64UrlEncode("[1,2]") + "." + claims + ".AAAA"),
            "token header is not a JSON object");
  const std::string header = Base64UrlEncode(R"({"alg":"EdDSA","kid":"ed-1"})");
  EXPECT_EQ(Rejection(verifier, header + "." + claims + ".!!!!"),
            "token signature is not valid base64url");
  // A correctly signed payload that is not JSON: only found after the signature holds.
  EXPECT_EQ(Rejection(verifier, RawToken(R"({"alg":"EdDSA","kid":"ed-1"})", "not json", *ed_)),
            "token payload is not a JSON object");
  EXPECT_EQ(Rejection(verifier, RawToken(R"({"alg":"EdDSA","kid":"ed-1"})", "\"str\"", *ed_)),
            "token payload is not a JSON object");
}

TEST_F(JwtTest, OversizedTokenIsRejectedBeforeAnyParsing) {
  const JwtVerifier verifier = Verifier();
  Json claims = Claims();
  claims["pad"] = std::string(6000, 'x');
  const std::string big = Sign(*ed_, claims);
  ASSERT_GT(big.size(), 8192u);
  EXPECT_EQ(Rejection(verifier, big),
            "token is too large (" + std::to_string(big.size()) + " bytes, max 8192)");
  EXPECT_EQ(Rejection(verifier, std::string(1 << 20, 'A')),
            "token is too large (1048576 bytes, max 8192)");
}

// Rotation: the new key signs; tokens from the old key keep verifying until it is removed.
TEST_F(JwtTest, TokensOfThePreviousKeyVerifyAfterRotation) {
  const JwtKey old_key = Must(JwtKey::GenerateEd25519("2024-01"));
  const JwtKey new_key = Must(JwtKey::GenerateEd25519("2024-02"));
  JwtVerifier verifier = Verifier({old_key});
  const std::string old_token = Sign(old_key, Claims());

  ASSERT_TRUE(verifier.AddKey(new_key).ok());
  const std::string new_token = Sign(new_key, Claims());
  EXPECT_TRUE(verifier.Verify(old_token).ok());
  EXPECT_TRUE(verifier.Verify(new_token).ok());
  EXPECT_EQ(verifier.Kids(), (std::vector<std::string>{"2024-01", "2024-02"}));

  EXPECT_TRUE(verifier.RemoveKey("2024-01"));
  EXPECT_FALSE(verifier.RemoveKey("2024-01"));
  EXPECT_EQ(Rejection(verifier, old_token), "unknown key id '2024-01'");
  EXPECT_TRUE(verifier.Verify(new_token).ok());
}

TEST_F(JwtTest, AVerifiedSignatureIsRememberedButNeverAcrossAKeyChangeOrPastExpiry) {
  JwtVerifier verifier = Verifier({*ed_});
  const std::string token = Sign(*ed_, Claims(seconds(300)));
  ASSERT_TRUE(verifier.Verify(token).ok());
  ASSERT_TRUE(verifier.Verify(token).ok());  // the remembered signature
  // The same kid now names another key: the token's signature is checked again, and fails.
  ASSERT_TRUE(verifier.SetKeys({*ed_other_}).ok());
  EXPECT_EQ(Rejection(verifier, token), "token signature is invalid");
  // Back to the right key: it verifies, and its expiry is checked on every use.
  ASSERT_TRUE(verifier.SetKeys({*ed_}).ok());
  ASSERT_TRUE(verifier.Verify(token).ok());
  clock_.Advance(seconds(300 + 61));
  EXPECT_EQ(Rejection(verifier, token), "token expired at 1700000300 (now 1700000361, skew 60s)");
  // A changed byte is another token: never taken for the remembered one.
  std::string forged = token;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier.Verify(forged).ok());
}

TEST_F(JwtTest, KeySetChangesAreValidated) {
  JwtVerifier verifier = Verifier({*ed_});
  EXPECT_EQ(verifier.AddKey(*ed_other_).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(verifier.SetKeys({*rsa_, *rsa_}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(verifier.Kids(), std::vector<std::string>{"ed-1"}) << "nothing replaced on error";
  ASSERT_TRUE(verifier.SetKeys({*rsa_}).ok());
  EXPECT_EQ(verifier.Kids(), std::vector<std::string>{"rsa-1"});
}

TEST_F(JwtTest, VerifierOptionsAreValidated) {
  auto code = [&](JwtVerifierOptions options) {
    return JwtVerifier::Create(clock_, std::move(options)).status().code();
  };
  EXPECT_EQ(code({.issuer = "", .audience = "a"}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.issuer = "i", .audience = ""}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.issuer = "i", .audience = "a", .clock_skew = seconds(301)}),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.issuer = "i", .audience = "a", .clock_skew = seconds(-1)}),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.issuer = "i", .audience = "a", .clock_skew = seconds(0)}), StatusCode::kOk);
}

TEST_F(JwtTest, ZeroSkewIsExact) {
  const JwtVerifier verifier = Must(JwtVerifier::Create(
      clock_, {.issuer = kIssuer, .audience = kAudience, .clock_skew = seconds(0)}, {*ed_}));
  const std::string token = Sign(*ed_, Claims(seconds(10)));
  clock_.Advance(seconds(9));
  EXPECT_TRUE(verifier.Verify(token).ok());
  clock_.Advance(seconds(1));
  EXPECT_FALSE(verifier.Verify(token).ok());
}

// An OIDC provider's ID token: its keys arrive as a JWKS document, ours sign nothing.
TEST_F(JwtTest, ExternalTokensVerifyAgainstAnImportedJwks) {
  const JwtKey provider_ec = Must(JwtKey::GenerateEs256("google-ec"));
  const JwtKey provider_rsa = Must(JwtKey::GenerateRsa("google-rsa"));
  const std::string jwks = ToJwks({provider_ec, provider_rsa}).dump();
  JwksKeys imported = Must(ParseJwks(jwks));
  ASSERT_EQ(imported.keys.size(), 2u);
  const JwtVerifier verifier = Must(JwtVerifier::Create(
      clock_, {.issuer = "https://accounts.example", .audience = "cid"}, std::move(imported.keys)));
  Json claims = {{"email", "owner@warung.test"}};
  SetStandardClaims(claims, {.issuer = "https://accounts.example",
                             .subject = "1234",
                             .audience = {"cid"},
                             .issued_at = clock_.Now()});
  for (const JwtKey* key : {&provider_ec, &provider_rsa}) {
    Result<VerifiedJwt> verified = verifier.Verify(Sign(*key, claims));
    ASSERT_TRUE(verified.ok()) << verified.status().ToString();
    EXPECT_EQ(verified->claims["email"], "owner@warung.test");
  }
}

TEST_F(JwtTest, KeysCanBeReplacedWhileOtherThreadsVerify) {
  JwtVerifier verifier = Verifier({*ed_});
  const std::string token = Sign(*ed_, Claims());
  std::atomic<bool> stop = false;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        if (!verifier.Verify(token).ok()) ++failures;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(verifier.SetKeys({*ed_, *rsa_}).ok());
    ASSERT_TRUE(verifier.SetKeys({*ed_}).ok());
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace milkyhoop::crypto
