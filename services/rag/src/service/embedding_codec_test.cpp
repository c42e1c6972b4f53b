#include "embedding_codec.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace milkyhoop::rag {
namespace {

TEST(EmbeddingCodecTest, RoundTripsEveryLength) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 384u}) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.25f - 3.5f;
    auto back = DecodeEmbedding(EncodeEmbedding(v));
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, v);
  }
}

TEST(EmbeddingCodecTest, RefusesCorruptText) {
  EXPECT_FALSE(DecodeEmbedding("abc").has_value());   // not a multiple of 4
  EXPECT_FALSE(DecodeEmbedding("AAA=").has_value());  // 2 bytes: not whole floats
  EXPECT_FALSE(DecodeEmbedding("!!!!").has_value());  // not base64
  const std::vector<float> nan = {std::numeric_limits<float>::quiet_NaN()};
  EXPECT_FALSE(DecodeEmbedding(EncodeEmbedding(nan)).has_value());
}

}  // namespace
}  // namespace milkyhoop::rag
