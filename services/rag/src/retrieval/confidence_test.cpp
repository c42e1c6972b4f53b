#include "confidence.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace milkyhoop::rag {
namespace {

TEST(ConfidenceTest, FullTitleMatchWithAClearLeadIsDirectAnswerTier) {
  const std::vector<SlotEvidence> slots{{2.0, false, 1.0}, {1.5, false, 1.0}, {0.3, true, 1.0}};
  EXPECT_GE(KeywordConfidence(slots, 10.0, 3.0), 0.85);
}

TEST(ConfidenceTest, UnknownWordsPullItDown) {
  // One word of three covered: an off-topic question sharing one word with the business.
  const std::vector<SlotEvidence> slots{{2.4, false, 1.0}, {3.5, false, 0}, {3.5, false, 0}};
  EXPECT_LT(KeywordConfidence(slots, 6.0, 3.0), 0.30);
}

TEST(ConfidenceTest, GenericWordsAloneNeverReachTheDeflectThreshold) {
  const std::vector<SlotEvidence> slots{{0.4, true, 1.0}, {0.3, true, 1.0}};
  EXPECT_LT(KeywordConfidence(slots, 5.0, 0.0), 0.30);
}

TEST(ConfidenceTest, ASmallerLeadGivesLessConfidence) {
  const std::vector<SlotEvidence> slots{{2.0, false, 1.0}};
  EXPECT_GT(KeywordConfidence(slots, 10.0, 2.0), KeywordConfidence(slots, 10.0, 9.5));
}

TEST(ConfidenceTest, NoMatchIsZero) {
  EXPECT_EQ(KeywordConfidence({}, 0, 0), 0.0);
  const std::vector<SlotEvidence> slots{{2.0, false, 0}};
  EXPECT_EQ(KeywordConfidence(slots, 0, 0), 0.0);
}

TEST(ConfidenceTest, AlwaysWithinZeroAndOne) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-2, 5);
  for (int i = 0; i < 5000; ++i) {
    std::vector<SlotEvidence> slots(1 + i % 6);
    for (auto& s : slots) s = {u(rng), rng() % 2 == 0, u(rng)};
    const double c = KeywordConfidence(slots, u(rng), u(rng));
    ASSERT_GE(c, 0.0);
    ASSERT_LE(c, 1.0);
  }
}

}  // namespace
}  // namespace milkyhoop::rag
