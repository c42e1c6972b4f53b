#include "milkyhoop/crypto/key_ring.hpp"

#include <gtest/gtest.h>

#include <string>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/key_ring_loader.hpp"

namespace milkyhoop::crypto {
namespace {

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');
const std::string kIndex(32, 'i');

TEST(KeyRingTest, MasterKeyIdIsTheSha256Prefix) {
  // sha256("a" * 32) starts with 3ba3f5f4.
  EXPECT_EQ(MasterKeyId(kKeyA), HexEncode(std::string("\x3b\xa3\xf5\xf4", 4)));
}

TEST(KeyRingTest, FromBase64TakesOneOrSeveralKeysFirstActive) {
  Result<KeyRing> one = KeyRing::FromBase64(Base64Encode(kKeyA), Base64Encode(kIndex));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->active().id, MasterKeyId(kKeyA));
  EXPECT_EQ(one->active().key.view(), kKeyA);
  EXPECT_EQ(one->index_key().view(), kIndex);

  Result<KeyRing> two = KeyRing::FromBase64(Base64Encode(kKeyB) + ", " + Base64Encode(kKeyA) + "\n",
                                            Base64Encode(kIndex));
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->keys().size(), 2u);
  EXPECT_EQ(two->active().id, MasterKeyId(kKeyB));
  EXPECT_NE(two->Find(MasterKeyId(kKeyA)), nullptr);
  EXPECT_EQ(two->Find("nope"), nullptr);
}

TEST(KeyRingTest, FromBase64RejectsBadKeysWithoutEchoingThem) {
  Result<KeyRing> short_key = KeyRing::FromBase64(Base64Encode("short"), Base64Encode(kIndex));
  EXPECT_EQ(short_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_key.status().message(), "master key #1 must be 32 bytes, got 5");
  Result<KeyRing> not_b64 = KeyRing::FromBase64("s3cr3t!!", Base64Encode(kIndex));
  EXPECT_EQ(not_b64.status().message(), "master key #1 is not valid base64");
  EXPECT_FALSE(KeyRing::FromBase64(Base64Encode(kKeyA), Base64Encode("x")).ok());
  EXPECT_FALSE(KeyRing::FromBase64(Base64Encode(kKeyA) + ",", Base64Encode(kIndex)).ok());
  EXPECT_FALSE(
      KeyRing::FromBase64(Base64Encode(kKeyA) + "," + Base64Encode(kKeyA), Base64Encode(kIndex))
          .ok())
      << "duplicate ids";
}

TEST(KeyRingTest, CreateValidatesIds) {
  auto make = [](std::string id) {
    std::vector<MasterKey> keys;
    keys.push_back({std::move(id), SecretBytes(std::string(32, 'a'))});
    return KeyRing::Create(std::move(keys), SecretBytes(std::string(32, 'i'))).status().code();
  };
  EXPECT_EQ(make("k-1_A"), StatusCode::kOk);
  EXPECT_EQ(make(""), StatusCode::kInvalidArgument);
  EXPECT_EQ(make("index"), StatusCode::kInvalidArgument);
  EXPECT_EQ(make("a.b"), StatusCode::kInvalidArgument);
  EXPECT_EQ(make("a b"), StatusCode::kInvalidArgument);
  EXPECT_EQ(make(std::string(65, 'a')), StatusCode::kInvalidArgument);
  EXPECT_EQ(KeyRing::Create({}, SecretBytes(std::string(32, 'i'))).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(KeyRingTest, NewActiveKeyKeepsOldKeysAndTheIndexKey) {
  const KeyRing ring = KeyRing::Generate();
  const KeyRing rotated = ring.WithNewActiveKey();
  ASSERT_EQ(rotated.keys().size(), 2u);
  EXPECT_NE(rotated.active().id, ring.active().id);
  EXPECT_EQ(rotated.keys()[1].id, ring.active().id);
  EXPECT_EQ(rotated.index_key().view(), ring.index_key().view());
}

TEST(KeyRingLoaderTest, EnvironmentNeedsBothKeys) {
  Result<KeyRing> half = LoadKeyRing({.master_keys = Base64Encode(kKeyA)});
  EXPECT_EQ(half.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(half.status().message(),
            "MILKYHOOP_INDEX_KEY must be set together with MILKYHOOP_MASTER_KEY");
  EXPECT_EQ(LoadKeyRing({.index_key = Base64Encode(kIndex)}).status().code(),
            StatusCode::kFailedPrecondition);
  Result<KeyRing> both =
      LoadKeyRing({.master_keys = Base64Encode(kKeyA), .index_key = Base64Encode(kIndex)});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->active().id, MasterKeyId(kKeyA));
}

TEST(KeyRingLoaderTest, NothingConfiguredIsAnError) {
  EXPECT_EQ(LoadKeyRing({}).status().code(), StatusCode::kFailedPrecondition);
}

TEST(SecretBytesTest, CopiesAndMovesKeepTheBytes) {
  SecretBytes a(std::string("secret-value-longer-than-sso-buffer"));
  SecretBytes b = a;
  SecretBytes c = std::move(a);
  EXPECT_EQ(b.view(), "secret-value-longer-than-sso-buffer");
  EXPECT_EQ(c.view(), b.view());
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is wiped and empty
  b = c;
  c = SecretBytes(std::string("x"));
  EXPECT_EQ(c.view(), "x");
}

}  // namespace
}  // namespace milkyhoop::crypto
