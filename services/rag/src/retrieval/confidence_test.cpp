#include "confidence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
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

std::vector<double> SortedDescending(std::vector<double> v) {
  std::sort(v.begin(), v.end(), std::greater<>());
  return v;
}

TEST(VectorConfidenceTest, ChanceLevelIsTheBonferroniStudentQuantile) {
  // Four passages: t with 2 degrees of freedom at 1 − 0.05/4 (closed form: 6.2053), widened
  // by √(1 + 1/3) for the estimated mean.
  const auto four = BaselineOf(std::vector<double>{0.9, 0.3, 0.2, 0.1});
  EXPECT_NEAR(four.chance, 6.2053 * std::sqrt(4.0 / 3), 1e-3);
  EXPECT_NEAR(four.mean, 0.2, 1e-12);
  EXPECT_NEAR(four.stdev, 0.1, 1e-12);
  // Two hundred: close to the normal quantile at 1 − 0.05/200 (3.48).
  std::vector<double> many(200);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = 1.0 - 0.001 * double(i);
  const double chance = BaselineOf(many).chance;
  EXPECT_GT(chance, 3.48);
  EXPECT_LT(chance, 3.60);
  // Three: no baseline, no vector confidence however far the best stands out.
  const auto three = BaselineOf(std::vector<double>{0.9, 0.1, 0.0});
  EXPECT_EQ(VectorConfidence(0.9, three), 0.0);
}

TEST(VectorConfidenceTest, WhenNothingStandsOutItIsRarelyConfidentAtAnyCorpusSize) {
  // Similarities of an off-topic query: n draws from one distribution, whatever its centre and
  // spread (e5-like here: 0.8 ± 0.02). At most about α = 5% earn any confidence, tiny
  // businesses included (the t tail absorbs their noisy spread); from ten passages at most 2%
  // reach the deflect threshold (with 4-7 passages the spread is so uncertain that 2-4% do).
  std::mt19937 rng(7);
  std::normal_distribution<double> draw(0.8, 0.02);
  for (std::size_t n : {4u, 5u, 7u, 10u, 20u, 50u, 200u}) {
    int any = 0, deflect_crossed = 0;
    constexpr int kTrials = 2000;
    for (int t = 0; t < kTrials; ++t) {
      std::vector<double> s(n);
      for (auto& x : s) x = draw(rng);
      s = SortedDescending(s);
      const double c = VectorConfidence(s[0], BaselineOf(s));
      any += c > 0;
      deflect_crossed += c >= 0.30;
    }
    EXPECT_LE(any, kTrials * 6 / 100) << n << " passages";
    if (n >= 10) {
      EXPECT_LE(deflect_crossed, kTrials * 2 / 100) << n << " passages";
    }
  }
}

TEST(VectorConfidenceTest, OnTopicStandsOutAndTheScaleDoesNotMatter) {
  std::mt19937 rng(11);
  for (auto [centre, spread] : {std::pair{0.8, 0.02}, std::pair{0.1, 0.08}}) {
    std::normal_distribution<double> draw(centre, spread);
    std::vector<double> s(20);
    for (auto& x : s) x = draw(rng);
    s = SortedDescending(s);
    const auto baseline = BaselineOf(s);
    // The answering passage 8 standard deviations above the rest: confident; 4: barely; at the
    // top of the rest: not at all.
    EXPECT_GE(VectorConfidence(baseline.mean + 8 * baseline.stdev, baseline), 0.85);
    EXPECT_LT(VectorConfidence(baseline.mean + 4 * baseline.stdev, baseline), 0.30);
    EXPECT_EQ(VectorConfidence(s[1], baseline), 0.0);
  }
}

TEST(VectorConfidenceTest, DuplicatePassagesDoNotMakeEveryLeadSignificant) {
  // The rest all equal: the spread floor keeps a rounding-size lead from counting.
  const std::vector<double> s{0.80001, 0.8, 0.8, 0.8, 0.8, 0.8};
  EXPECT_EQ(VectorConfidence(s[0], BaselineOf(s)), 0.0);
  EXPECT_GT(VectorConfidence(0.81, BaselineOf(s)), 0.9);
}

}  // namespace
}  // namespace milkyhoop::rag
