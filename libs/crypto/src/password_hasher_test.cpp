#include "milkyhoop/crypto/password_hasher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace milkyhoop::crypto {
namespace {

// Cheap parameters so the suite stays fast (and fast under ASan); production uses the defaults.
constexpr Argon2idParams kFast{.iterations = 1, .memory_bytes = 64 * 1024};

PasswordHasher Hasher(const Argon2idParams& params = kFast) {
  Result<PasswordHasher> hasher = PasswordHasher::Create(params);
  if (!hasher.ok()) ADD_FAILURE() << hasher.status().ToString();
  return std::move(hasher).value();
}

TEST(PasswordHasherTest, DefaultsAreAtOrAboveOwaspMinimum) {
  const Argon2idParams defaults;
  EXPECT_GE(defaults.iterations, 2u);
  EXPECT_GE(defaults.memory_bytes, std::size_t{19} << 20);
}

TEST(PasswordHasherTest, HashesAreArgon2idPhcStringsWithTheirParameters) {
  Result<std::string> hash = Hasher().Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << *hash;
}

TEST(PasswordHasherTest, VerifiesTheRightPasswordOnly) {
  const PasswordHasher hasher = Hasher();
  const std::string hash = *hasher.Hash("s3cret-Pa55");
  EXPECT_TRUE(hasher.Verify(hash, "s3cret-Pa55"));
  EXPECT_FALSE(hasher.Verify(hash, "s3cret-Pa56"));
  EXPECT_FALSE(hasher.Verify(hash, ""));
  EXPECT_FALSE(hasher.Verify(hash, "s3cret-Pa55 "));
}

TEST(PasswordHasherTest, SaltsAreRandom) {
  const PasswordHasher hasher = Hasher();
  EXPECT_NE(*hasher.Hash("same"), *hasher.Hash("same"));
}

TEST(PasswordHasherTest, PasswordsWithNulBytesAreHashedWhole) {
  const PasswordHasher hasher = Hasher();
  const std::string hash = *hasher.Hash(std::string("a\0b", 3));
  EXPECT_TRUE(hasher.Verify(hash, std::string("a\0b", 3)));
  EXPECT_FALSE(hasher.Verify(hash, "a"));
}

TEST(PasswordHasherTest, MalformedOrForeignHashesNeverVerify) {
  const PasswordHasher hasher = Hasher();
  EXPECT_FALSE(hasher.Verify("", "x"));
  EXPECT_FALSE(hasher.Verify("not a hash", "x"));
  EXPECT_FALSE(hasher.Verify("$2b$12$abcdefghijklmnopqrstuu5Vq1dJ2JQ1/LG3dYl4bOtf1bN2PnZeS", "x"));
  EXPECT_FALSE(hasher.Verify(std::string(200, '$'), "x"));
  std::string hash = *hasher.Hash("x");
  hash.back() = hash.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(hasher.Verify(hash, "x"));
}

TEST(PasswordHasherTest, OverlongPasswordsAreRefused) {
  const PasswordHasher hasher = Hasher();
  const std::string huge(PasswordHasher::kMaxPasswordBytes + 1, 'a');
  Result<std::string> hash = hasher.Hash(huge);
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(hash.status().field_errors().at(0).field, "password");
  EXPECT_TRUE(hasher.Hash(std::string(PasswordHasher::kMaxPasswordBytes, 'a')).ok());
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersDiffer) {
  const PasswordHasher weak = Hasher();
  const PasswordHasher stronger = Hasher({.iterations = 2, .memory_bytes = 128 * 1024});
  const std::string old_hash = *weak.Hash("pw");
  EXPECT_FALSE(weak.NeedsRehash(old_hash));
  EXPECT_TRUE(stronger.NeedsRehash(old_hash));
  // The old hash still verifies under the new hasher: its parameters travel with it.
  EXPECT_TRUE(stronger.Verify(old_hash, "pw"));
  EXPECT_FALSE(stronger.NeedsRehash(*stronger.Hash("pw")));
  EXPECT_TRUE(stronger.NeedsRehash("garbage"));
}

TEST(PasswordHasherTest, RejectsParametersBelowLibsodiumLimits) {
  EXPECT_EQ(PasswordHasher::Create({.iterations = 0, .memory_bytes = 64 * 1024}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(PasswordHasher::Create({.iterations = 1, .memory_bytes = 1024}).status().code(),
            StatusCode::kInvalidArgument);
}

// DummyVerify must cost what a real verification costs. Measured with a few MiB so the hash
// dominates noise; the bounds are loose because CI machines are noisy.
TEST(PasswordHasherTest, DummyVerifyCostsAboutAsMuchAsVerify) {
  const PasswordHasher hasher = Hasher({.iterations = 1, .memory_bytes = 4 << 20});
  const std::string hash = *hasher.Hash("pw");
  using Clock = std::chrono::steady_clock;
  auto time = [](auto&& fn) {
    const auto start = Clock::now();
    for (int i = 0; i < 5; ++i) fn();
    return Clock::now() - start;
  };
  const auto real = time([&] { EXPECT_FALSE(hasher.Verify(hash, "wrong")); });
  const auto dummy = time([&] { hasher.DummyVerify("wrong"); });
  const double ratio = std::chrono::duration<double>(dummy) / std::chrono::duration<double>(real);
  EXPECT_GT(ratio, 0.33) << "dummy verify is much cheaper than a real one";
  EXPECT_LT(ratio, 3.0) << "dummy verify is much dearer than a real one";
}

}  // namespace
}  // namespace milkyhoop::crypto
