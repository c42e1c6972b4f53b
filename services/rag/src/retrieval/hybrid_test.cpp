#include "milkyhoop/rag/hybrid.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag {
namespace {

KeywordSearch Keyword(std::vector<KeywordHit> hits, double confidence) {
  KeywordSearch k;
  k.hits = std::move(hits);
  k.confidence = confidence;
  return k;
}

void ExpectWellFormed(const FusedSearch& f) {
  ASSERT_FALSE(f.hits.empty());
  EXPECT_DOUBLE_EQ(f.hits[0].score, f.confidence);
  for (std::size_t i = 0; i < f.hits.size(); ++i) {
    EXPECT_GE(f.hits[i].score, 0.0);
    EXPECT_LE(f.hits[i].score, 1.0);
    if (i > 0) {
      EXPECT_LE(f.hits[i].score, f.hits[i - 1].score);
      EXPECT_LE(f.hits[i].rrf, f.hits[i - 1].rrf);
    }
  }
}

TEST(HybridTest, KeywordOnlyKeepsOrderAndConfidence) {
  const auto f = Fuse(Keyword({{"a", 9.0}, {"b", 4.0}, {"c", 1.0}}, 0.72), {}, 10);
  ExpectWellFormed(f);
  ASSERT_EQ(f.hits.size(), 3u);
  EXPECT_EQ(f.hits[0].id, "a");
  EXPECT_EQ(f.hits[2].id, "c");
  EXPECT_DOUBLE_EQ(f.confidence, 0.72);
  EXPECT_EQ(f.hits[1].keyword_rank, 2);
  EXPECT_DOUBLE_EQ(*f.hits[1].keyword_score, 4.0);
  EXPECT_FALSE(f.hits[1].vector_rank.has_value());
  EXPECT_NEAR(f.hits[0].rrf, 1.0 / 61, 1e-12);
}

TEST(HybridTest, VectorOnlyMapsSimilarityToConfidence) {
  const auto f = Fuse(KeywordSearch{}, {{"x", 0.85}, {"y", 0.5}}, 10);
  ExpectWellFormed(f);
  EXPECT_EQ(f.hits[0].id, "x");
  EXPECT_NEAR(f.confidence, 1.0, 1e-9);  // at the default ceiling
  const auto low = Fuse(KeywordSearch{}, {{"x", 0.2}}, 10);
  EXPECT_EQ(low.confidence, 0.0);  // below the default floor
  const auto mid = Fuse(KeywordSearch{}, {{"x", 0.6}}, 10);
  EXPECT_NEAR(mid.confidence, 0.5, 1e-9);
}

TEST(HybridTest, AgreementRaisesConfidenceAndRanksFirst) {
  // "b" is second for both methods; "a" first by keyword only, "c" first by vector only.
  const auto kw = Keyword({{"a", 9.0}, {"b", 8.0}}, 0.5);
  const std::vector<VectorHit> vec{{"c", 0.7}, {"b", 0.69}};
  const auto f = Fuse(kw, vec, 10);
  ExpectWellFormed(f);
  EXPECT_EQ(f.hits[0].id, "b");  // 2/(60+2) beats 1/(60+1)
  ASSERT_TRUE(f.hits[0].keyword_rank && f.hits[0].vector_rank);

  const auto both = Fuse(Keyword({{"a", 9.0}}, 0.5), {{"a", 0.6}}, 10);
  const auto alone = Fuse(Keyword({{"a", 9.0}}, 0.5), {}, 10);
  EXPECT_GT(both.confidence, alone.confidence);
  EXPECT_LE(both.confidence, 1.0);
}

TEST(HybridTest, OffTopicStaysLowWhenBothMethodsAreWeak) {
  const auto f = Fuse(Keyword({{"a", 1.0}}, 0.05), {{"b", 0.30}}, 10);
  EXPECT_LT(f.confidence, 0.30);
}

TEST(HybridTest, TopKAndEmptyInputs) {
  EXPECT_TRUE(Fuse(KeywordSearch{}, {}, 10).hits.empty());
  EXPECT_EQ(Fuse(KeywordSearch{}, {}, 10).confidence, 0.0);
  const auto f = Fuse(Keyword({{"a", 3}, {"b", 2}, {"c", 1}}, 0.9), {{"d", 0.9}}, 2);
  EXPECT_EQ(f.hits.size(), 2u);
  EXPECT_TRUE(Fuse(Keyword({{"a", 3}}, 0.9), {}, 0).hits.empty());
}

TEST(HybridTest, ConfidenceAlwaysWithinZeroAndOne) {
  const auto f = Fuse(Keyword({{"a", 3}}, 7.0), {{"a", 5.0}}, 3);  // out-of-range inputs
  EXPECT_GE(f.confidence, 0.0);
  EXPECT_LE(f.confidence, 1.0);
}

}  // namespace
}  // namespace milkyhoop::rag
