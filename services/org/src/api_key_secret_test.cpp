#include "api_key_secret.hpp"

#include <gtest/gtest.h>

#include <set>

namespace milkyhoop::org {
namespace {

TEST(ApiKeySecretTest, FormatIsPrefixedAndParsesBack) {
  const GeneratedApiKey key = GenerateApiKey();
  ASSERT_EQ(key.prefix.size(), kApiKeyPrefixChars);
  EXPECT_EQ(key.secret.substr(0, 3), "mh_");
  EXPECT_EQ(key.secret.substr(3, 8), key.prefix);
  EXPECT_EQ(key.secret[11], '_');
  EXPECT_EQ(key.secret.size(), 3u + 8u + 1u + 43u);  // 32 bytes → 43 base64url characters
  EXPECT_EQ(ParseApiKeyPrefix(key.secret), key.prefix);
  EXPECT_EQ(key.secret_hash, HashApiKeySecret(key.secret));
  EXPECT_EQ(key.secret_hash.size(), 64u);
  EXPECT_EQ(key.secret_hash.find(key.secret), std::string::npos);
}

TEST(ApiKeySecretTest, EveryKeyIsDifferent) {
  std::set<std::string> secrets, prefixes;
  for (int i = 0; i < 200; ++i) {
    const GeneratedApiKey key = GenerateApiKey();
    secrets.insert(key.secret);
    prefixes.insert(key.prefix);
  }
  EXPECT_EQ(secrets.size(), 200u);
  EXPECT_EQ(prefixes.size(), 200u);
}

TEST(ApiKeySecretTest, MalformedSecretsHaveNoPrefix) {
  const std::string good = GenerateApiKey().secret;
  EXPECT_FALSE(ParseApiKeyPrefix(""));
  EXPECT_FALSE(ParseApiKeyPrefix("mh_"));
  EXPECT_FALSE(ParseApiKeyPrefix(good.substr(0, good.size() - 1)));
  EXPECT_FALSE(ParseApiKeyPrefix(good + "A"));
  EXPECT_FALSE(ParseApiKeyPrefix("xx" + good.substr(2)));
  std::string bad_char = good;
  bad_char[20] = '+';
  EXPECT_FALSE(ParseApiKeyPrefix(bad_char));
  std::string upper_prefix = good;
  upper_prefix[4] = 'A';
  EXPECT_FALSE(ParseApiKeyPrefix(upper_prefix));
}

TEST(ApiKeySecretTest, HashComparison) {
  const std::string h = HashApiKeySecret("mh_secret");
  EXPECT_TRUE(ApiKeyHashesEqual(h, HashApiKeySecret("mh_secret")));
  EXPECT_FALSE(ApiKeyHashesEqual(h, HashApiKeySecret("mh_secreT")));
  EXPECT_FALSE(ApiKeyHashesEqual(h, h.substr(1)));
  EXPECT_FALSE(ApiKeyHashesEqual("", ""));
  // Known vector: SHA-256("abc").
  EXPECT_EQ(HashApiKeySecret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace milkyhoop::org
