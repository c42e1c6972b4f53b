#include "milkyhoop/crypto/totp.hpp"

#include <gtest/gtest.h>

#include <string>

#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto {
namespace {

using std::chrono::seconds;

Clock::TimePoint At(std::int64_t unix_seconds) { return Clock::TimePoint(seconds(unix_seconds)); }

// RFC 4226 appendix D.
TEST(HotpTest, MatchesRfc4226Vectors) {
  const std::string secret = "12345678901234567890";
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(HotpCode(secret, counter), expected[counter]) << counter;
  }
}

// RFC 6238 appendix B: 8 digits, 30 s steps, one seed per hash.
TEST(TotpTest, MatchesRfc6238Vectors) {
  struct Vector {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Vector vectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
  };
  const Totp sha1(SecretBytes("12345678901234567890"),
                  {.algorithm = HashAlgorithm::kSha1, .digits = 8});
  const Totp sha256(SecretBytes("12345678901234567890123456789012"),
                    {.algorithm = HashAlgorithm::kSha256, .digits = 8});
  const Totp sha512(SecretBytes("1234567890123456789012345678901234567890123456789012345678901234"),
                    {.algorithm = HashAlgorithm::kSha512, .digits = 8});
  for (const Vector& v : vectors) {
    EXPECT_EQ(sha1.CodeAt(At(v.time)), v.sha1) << v.time;
    EXPECT_EQ(sha256.CodeAt(At(v.time)), v.sha256) << v.time;
    EXPECT_EQ(sha512.CodeAt(At(v.time)), v.sha512) << v.time;
    EXPECT_EQ(sha1.Verify(v.sha1, At(v.time)), sha1.StepAt(At(v.time)));
  }
  // T = 20000000000 (year 2603) does not fit system_clock's nanosecond time_point, so the last
  // vector goes through its step, 20000000000 / 30, directly.
  const std::uint64_t step = 666666666;
  EXPECT_EQ(HotpCode("12345678901234567890", step, 8, HashAlgorithm::kSha1), "65353130");
  EXPECT_EQ(HotpCode("12345678901234567890123456789012", step, 8, HashAlgorithm::kSha256),
            "77737706");
  EXPECT_EQ(HotpCode("1234567890123456789012345678901234567890123456789012345678901234", step, 8,
                     HashAlgorithm::kSha512),
            "47863826");
}

TEST(TotpTest, DefaultsAreAuthenticatorAppCompatible) {
  const Totp totp(SecretBytes("12345678901234567890"));
  EXPECT_EQ(totp.params().digits, 6);
  EXPECT_EQ(totp.params().period, seconds(30));
  EXPECT_EQ(totp.CodeAt(At(59)), "287082");  // last 6 digits of the 8-digit vector
  EXPECT_EQ(totp.StepAt(At(59)), 1u);
}

TEST(TotpTest, VerifyAcceptsOneStepOfDriftAndReturnsTheMatchedStep) {
  const Totp totp(GenerateTotpSecret());
  const Clock::TimePoint now = At(1'700'000'000);
  const std::uint64_t step = totp.StepAt(now);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now), now), step);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now - seconds(30)), now), step - 1);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now + seconds(30)), now), step + 1);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now - seconds(60)), now), std::nullopt);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now + seconds(60)), now), std::nullopt);
  EXPECT_EQ(totp.Verify(totp.CodeAt(now - seconds(30)), now, /*window=*/0), std::nullopt);
}

TEST(TotpTest, AStepAlreadyUsedIsNotAcceptedAgain) {
  const Totp totp(GenerateTotpSecret());
  const Clock::TimePoint now = At(1'700'000'000);
  const std::string code = totp.CodeAt(now);
  const std::optional<std::uint64_t> used = totp.Verify(code, now);
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(totp.Verify(code, now, 1, used), std::nullopt) << "replay of the same step";
  EXPECT_EQ(totp.Verify(totp.CodeAt(now - seconds(30)), now, 1, used), std::nullopt)
      << "an older step after a newer one";
  EXPECT_EQ(totp.Verify(totp.CodeAt(now + seconds(30)), now, 1, used), *used + 1);
}

TEST(TotpTest, MalformedCodesNeverMatch) {
  const Totp totp(SecretBytes("12345678901234567890"));
  const Clock::TimePoint t = At(59);
  EXPECT_EQ(totp.Verify("287082", t), 1u);
  for (const char* bad : {"", "28708", "2870820", "28708a", " 87082", "-87082", "２87082"}) {
    EXPECT_EQ(totp.Verify(bad, t), std::nullopt) << bad;
  }
}

TEST(TotpTest, SecretsAreTwentyRandomBytes) {
  const SecretBytes a = GenerateTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a.view(), GenerateTotpSecret().view());
}

TEST(TotpTest, ProvisioningUriIsPercentEncoded) {
  const std::string uri =
      TotpProvisioningUri("Milky Hoop", "owner+1@warung.test", "12345678901234567890");
  EXPECT_EQ(uri,
            "otpauth://totp/Milky%20Hoop:owner%2B1%40warung.test"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Milky%20Hoop"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(*Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "12345678901234567890");
  EXPECT_NE(TotpProvisioningUri("A:B", "c", "x").find("A%3AB:c"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::crypto
