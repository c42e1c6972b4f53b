#include "milkyhoop/rag/hybrid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

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

// A business's passages as synthetic embeddings: each is a shared direction `u` (weight
// `shared`) plus its own random direction. shared = 2 mimics multilingual-e5-small, where any
// two short texts of one language score about 0.8; shared = 0 an isotropic model whose unrelated
// texts score about 0. The calibration must not care which.
class SyntheticModel {
 public:
  SyntheticModel(std::size_t passages, double shared, unsigned seed)
      : shared_(shared), rng_(seed), u_(Random()), index_(kDims) {
    for (std::size_t i = 0; i < passages; ++i) {
      own_.push_back(Random());
      EXPECT_TRUE(index_.Upsert("p" + std::to_string(i), Mix(own_.back(), 1.0)).ok());
    }
  }
  // A question one passage answers: mostly that passage's own direction, some noise.
  std::vector<float> OnTopic(std::size_t passage, double closeness = 0.8) {
    return Mix(Add(own_[passage], closeness, Random(), std::sqrt(1 - closeness * closeness)), 1.0);
  }
  // A question none answers: the language's shared direction and a direction of its own.
  std::vector<float> OffTopic() { return Mix(Random(), 1.0); }
  std::vector<VectorHit> Search(const std::vector<float>& q) const {
    return index_.Search(q, kVectorCalibrationSample);
  }

 private:
  static constexpr std::size_t kDims = 384;  // multilingual-e5-small's
  std::vector<double> Random() {
    std::normal_distribution<double> n(0, 1 / std::sqrt(double(kDims)));
    std::vector<double> v(kDims);
    for (auto& x : v) x = n(rng_);
    return v;
  }
  static std::vector<double> Add(const std::vector<double>& a, double wa,
                                 const std::vector<double>& b, double wb) {
    std::vector<double> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = wa * a[i] + wb * b[i];
    return out;
  }
  std::vector<float> Mix(const std::vector<double>& own, double w) const {
    const auto v = Add(u_, shared_, own, w);
    return {v.begin(), v.end()};
  }
  double shared_;
  std::mt19937 rng_;
  std::vector<double> u_;
  std::vector<std::vector<double>> own_;
  VectorIndex index_;
};

TEST(HybridTest, VectorConfidenceIsHighOnTopicAndLowOffTopicWhateverTheModelsScale) {
  for (double shared : {2.0, 0.0}) {  // e5-like (unrelated ≈ 0.8) and isotropic (≈ 0)
    for (unsigned seed = 1; seed <= 20; ++seed) {
      SyntheticModel model(20, shared, seed);
      const auto on = model.Search(model.OnTopic(seed % 20));
      const auto on_topic = Fuse(KeywordSearch{}, on, 5);
      ExpectWellFormed(on_topic);
      EXPECT_EQ(on_topic.hits[0].id, "p" + std::to_string(seed % 20));
      EXPECT_GE(on_topic.confidence, 0.60) << "shared " << shared << " seed " << seed;

      const auto off = model.Search(model.OffTopic());
      const auto off_topic = Fuse(KeywordSearch{}, off, 5);
      EXPECT_LT(off_topic.confidence, 0.30) << "shared " << shared << " seed " << seed;
      if (shared > 0) {
        // The raw similarity of the off-topic best hit is high: fixed bounds would trust it.
        EXPECT_GT(off[0].similarity, 0.7);
      }
    }
  }
}

TEST(HybridTest, VectorConfidenceIgnoresTheSimilarityScale) {
  // The same sample, shifted and scaled (another model's range): the same confidence.
  std::vector<VectorHit> a{{"x", 0.86}}, b{{"x", 0.86 * 0.5 - 0.2}};
  for (int i = 0; i < 15; ++i) {
    const double s = 0.80 - 0.003 * i;
    a.push_back({"r" + std::to_string(i), s});
    b.push_back({"r" + std::to_string(i), s * 0.5 - 0.2});
  }
  const double ca = Fuse(KeywordSearch{}, a, 5).confidence;
  EXPECT_GT(ca, 0.5);
  EXPECT_NEAR(Fuse(KeywordSearch{}, b, 5).confidence, ca, 1e-9);
}

TEST(HybridTest, ASmallBusinessCanStillBeFoundByMeaningButThreePassagesCannotTell) {
  // Six passages, the best 8 of the rest's standard deviations over their mean.
  std::vector<VectorHit> six{{"best", 0.0}};
  for (int i = 0; i < 5; ++i) six.push_back({"r" + std::to_string(i), 0.02 - 0.01 * i});
  six[0].similarity = 8 * 0.01 * std::sqrt(2.5);  // rest: mean 0, stdev 0.0158
  EXPECT_GE(Fuse(KeywordSearch{}, six, 5).confidence, 0.30);
  // Three passages: two similarities besides the best give no spread worth the name; the
  // vector method abstains (keyword evidence still counts).
  EXPECT_EQ(Fuse(KeywordSearch{}, {{"a", 0.9}, {"b", 0.1}, {"c", 0.0}}, 5).confidence, 0.0);
  EXPECT_GT(Fuse(Keyword({{"a", 5.0}}, 0.7), {{"a", 0.9}, {"b", 0.1}, {"c", 0.0}}, 5).confidence,
            0.69);
}

// The query's similarities to 20 passages with nothing standing out (e5-like scale), with `best`
// first at `top`.
std::vector<VectorHit> Flat(const std::string& best, double top, std::vector<std::string> next) {
  std::vector<VectorHit> v{{best, top}};
  for (std::size_t i = 0; i < 19; ++i) {
    v.push_back({i < next.size() ? next[i] : "r" + std::to_string(i), 0.80 - 0.002 * double(i)});
  }
  return v;
}

TEST(HybridTest, AStrongKeywordMatchIsNotDisplacedByAWeakVectorOnlyHit) {
  // Keyword: "a" clearly (0.8), "b" second. Vector: "b" nearest but not standing out, "a" third.
  // Plain RRF would put "b" first (1/62 + 1/61 > 1/61 + 1/63).
  const auto kw = Keyword({{"a", 9.0}, {"b", 3.0}}, 0.8);
  const auto f = Fuse(kw, Flat("b", 0.801, {"c", "a"}), 5);
  ExpectWellFormed(f);
  EXPECT_EQ(f.hits[0].id, "a");
  EXPECT_NEAR(f.confidence, 0.8, 1e-9);  // the keyword's: the vector adds no evidence for "a"
}

TEST(HybridTest, AVectorHitThatStandsOutWinsOverAWeakKeywordMatch) {
  // A paraphrase: keyword search matches "a" on a generic word only; by meaning "b" stands out.
  const auto kw = Keyword({{"a", 2.0}, {"b", 1.0}}, 0.1);
  const auto f = Fuse(kw, Flat("b", 0.88, {"c", "a"}), 5);
  ExpectWellFormed(f);
  EXPECT_EQ(f.hits[0].id, "b");
  EXPECT_GE(f.confidence, 0.60);
}

TEST(HybridTest, AgreementRaisesConfidenceAndRanksFirst) {
  // "b" is second for both methods; "a" first by keyword only, "c" first by vector only.
  const auto kw = Keyword({{"a", 9.0}, {"b", 8.0}}, 0.5);
  const std::vector<VectorHit> vec{{"c", 0.7}, {"b", 0.69}};  // neither stands out: equal weights
  const auto f = Fuse(kw, vec, 10);
  ExpectWellFormed(f);
  EXPECT_EQ(f.hits[0].id, "b");  // 2/(60+2) beats 1/(60+1)
  ASSERT_TRUE(f.hits[0].keyword_rank && f.hits[0].vector_rank);

  const auto both = Fuse(Keyword({{"a", 9.0}}, 0.5), Flat("a", 0.84, {}), 10);
  const auto alone = Fuse(Keyword({{"a", 9.0}}, 0.5), {}, 10);
  EXPECT_GT(both.confidence, alone.confidence);
  EXPECT_LE(both.confidence, 1.0);
}

TEST(HybridTest, OffTopicStaysLowWhenBothMethodsAreWeak) {
  // Keyword just under the deflect threshold, the vector nearest passage the same one and a
  // little ahead of the rest: weak agreement must not lift it into an answer.
  const auto f = Fuse(Keyword({{"a", 1.0}}, 0.28), Flat("a", 0.815, {}), 10);
  EXPECT_LT(f.confidence, 0.30);
  EXPECT_LT(Fuse(Keyword({{"a", 1.0}}, 0.05), Flat("b", 0.81, {}), 10).confidence, 0.30);
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
