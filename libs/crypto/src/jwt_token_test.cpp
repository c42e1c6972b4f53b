// The key-independent parts of verification: splitting a compact JWS and checking claims.

#include "jwt_token.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto::internal {
namespace {

using Json = nlohmann::json;
using std::chrono::seconds;

const Clock::TimePoint kNow{seconds(1'700'000'000)};

ClaimChecks Checks() {
  return {.issuer = "iss", .audience = "aud", .skew = seconds(60), .now = kNow};
}

Json Valid() { return {{"iss", "iss"}, {"aud", "aud"}, {"exp", 1'700'000'100}}; }

TEST(JwtTokenTest, SplitKeepsTheSigningInputAndDecodesHeaderAndSignature) {
  const std::string token = Base64UrlEncode(R"({"alg":"EdDSA"})") + "." + Base64UrlEncode("{}") +
                            "." + Base64UrlEncode("sig");
  Result<JwtParts> parts = SplitJwt(token, 8192);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(parts->signing_input, token.substr(0, token.rfind('.')));
  EXPECT_EQ(parts->payload_b64, Base64UrlEncode("{}"));
  EXPECT_EQ(parts->header["alg"], "EdDSA");
  EXPECT_EQ(parts->signature, "sig");
}

TEST(JwtTokenTest, SplitEnforcesTheSizeLimitExactly) {
  const std::string token = Base64UrlEncode("{}") + "..";
  EXPECT_TRUE(SplitJwt(token, token.size()).ok());
  EXPECT_FALSE(SplitJwt(token, token.size() - 1).ok());
}

TEST(JwtTokenTest, ValidClaimsPass) { EXPECT_TRUE(CheckClaims(Valid(), Checks()).ok()); }

TEST(JwtTokenTest, FractionalTimesAreAccepted) {
  Json claims = Valid();
  claims["exp"] = 1'700'000'000.5;
  EXPECT_TRUE(CheckClaims(claims, Checks()).ok());
}

TEST(JwtTokenTest, BoundariesOfTheSkew) {
  Json claims = Valid();
  claims["exp"] = 1'700'000'000 - 60;  // now == exp + skew: expired
  EXPECT_FALSE(CheckClaims(claims, Checks()).ok());
  claims["exp"] = 1'700'000'000 - 59;
  EXPECT_TRUE(CheckClaims(claims, Checks()).ok());
  claims = Valid();
  claims["nbf"] = 1'700'000'060;  // nbf == now + skew: valid
  EXPECT_TRUE(CheckClaims(claims, Checks()).ok());
  claims["nbf"] = 1'700'000'061;
  EXPECT_FALSE(CheckClaims(claims, Checks()).ok());
}

TEST(JwtTokenTest, AudienceArraysMayHoldNonStrings) {
  Json claims = Valid();
  claims["aud"] = Json::array({1, nullptr, "aud"});
  EXPECT_TRUE(CheckClaims(claims, Checks()).ok());
  claims["aud"] = Json::array({1, nullptr});
  EXPECT_FALSE(CheckClaims(claims, Checks()).ok());
  claims["aud"] = Json::object({{"aud", "aud"}});
  EXPECT_FALSE(CheckClaims(claims, Checks()).ok());
}

TEST(JwtTokenTest, PrintableCutsAndCleans) {
  EXPECT_EQ(Printable("kid-1"), "kid-1");
  EXPECT_EQ(Printable(std::string("a\nb\0c", 5)), "a?b?c");
  EXPECT_EQ(Printable(std::string(70, 'x')), std::string(64, 'x') + "...");
}

}  // namespace
}  // namespace milkyhoop::crypto::internal
