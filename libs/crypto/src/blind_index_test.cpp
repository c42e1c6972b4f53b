#include "milkyhoop/crypto/blind_index.hpp"

#include <gtest/gtest.h>

#include <string>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/hash.hpp"

namespace milkyhoop::crypto {
namespace {

TEST(BlindIndexTest, IsDeterministicHexAndKeyed) {
  const KeyRing ring = KeyRing::Generate();
  const BlindIndexer indexer(ring);
  const std::string a = *indexer.Compute("phone", "6281234567890");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(*indexer.Compute("phone", "6281234567890"), a);
  EXPECT_NE(*indexer.Compute("phone", "6281234567891"), a);
  EXPECT_NE(*BlindIndexer(KeyRing::Generate()).Compute("phone", "6281234567890"), a)
      << "another index key gives another index";
  EXPECT_NE(a, HexEncode(Sha256("6281234567890"))) << "not a plain hash";
}

TEST(BlindIndexTest, PurposesAreSeparated) {
  const BlindIndexer indexer(KeyRing::Generate());
  EXPECT_NE(*indexer.Compute("phone", "x@y.z"), *indexer.Compute("email", "x@y.z"));
  EXPECT_EQ(indexer.Compute("", "v").status().code(), StatusCode::kInvalidArgument);
}

TEST(BlindIndexTest, MatchesTheDocumentedConstruction) {
  const std::string index_key(32, 'i');
  const KeyRing ring =
      *KeyRing::FromBase64(Base64Encode(std::string(32, 'm')), Base64Encode(index_key));
  const std::string derived = *HkdfSha256(index_key, "milkyhoop.blind-index.v1", "email", 32);
  EXPECT_EQ(*BlindIndexer(ring).Compute("email", "owner@warung.test"),
            HexEncode(HmacSha256(derived, "owner@warung.test")));
}

// Lookups must keep working after a master-key rotation: the index key is not a master key.
TEST(BlindIndexTest, StableAcrossMasterKeyRotation) {
  const KeyRing ring = KeyRing::Generate();
  const std::string before = *BlindIndexer(ring).Compute("email", "owner@warung.test");
  const KeyRing rotated = ring.WithNewActiveKey().WithNewActiveKey();
  ASSERT_NE(rotated.active().id, ring.active().id);
  EXPECT_EQ(*BlindIndexer(rotated).Compute("email", "owner@warung.test"), before);
}

}  // namespace
}  // namespace milkyhoop::crypto
