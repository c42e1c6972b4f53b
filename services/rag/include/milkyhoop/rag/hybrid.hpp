#pragma once
// Hybrid retrieval: reciprocal-rank fusion of keyword and vector hits, and the calibrated
// confidence of the best fused hit that the chatbot's tier router consumes
// (≥0.85 direct FAQ answer, ≥0.60 grounded, ≥0.30 deep, below 0.30 deflect).
//
// Each method's confidence is calibrated without knowing the business or the model:
//  - keyword: coverage of the query's information by the best entry, and its lead (confidence.hpp);
//  - vector:  how far the best similarity stands out from the query's similarities to the rest of
//             the business's passages, in their standard deviations, beyond what the largest of
//             n passages reaches by chance (VectorConfidence in confidence.hpp). The raw cosine
//             scale is the model's (multilingual-e5-small: unrelated short texts ≈0.8) and is
//             never compared with fixed bounds.
// Ranking: weighted RRF, each list's votes weighted by its method's confidence for this query
// (w = kMinFusionWeight + c, the larger scaled to 1), so a keyword match that stands out is not
// displaced by a vector-only hit that does not, and vice versa; both unsure is plain RRF.
// Confidence of the best hit, from each method's evidence for that hit: the stronger, raised by
// agreement in proportion to both (c = hi + hi·lo·(1 − hi)): two weak signals stay weak, two
// strong ones approach 1.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "milkyhoop/rag/keyword_index.hpp"
#include "milkyhoop/rag/vector_index.hpp"

namespace milkyhoop::rag {

// clang-format off
struct FusedHit {
  std::string id;
  double score = 0;  // in [0,1]; hits[0].score == confidence
  std::optional<int> keyword_rank;  std::optional<double> keyword_score;   // explain
  std::optional<int> vector_rank;   std::optional<double> vector_similarity;
  double rrf = 0;
};
struct FusedSearch {
  std::vector<FusedHit> hits; double confidence = 0;
  double keyword_confidence = 0, vector_confidence = 0;  // each method's, for its own best hit
};
// clang-format on

struct FusionOptions {
  double rrf_k = 60;
};

// The weight of a method with no confidence for the query, relative to a sure one: it still
// votes, so it breaks ties, and two unsure methods fuse as plain RRF.
inline constexpr double kMinFusionWeight = 0.1;

// clang-format off
// Either input may be empty (keyword-only when no embedding provider; vector-only mode).
// `vector` should hold the query's similarities to as many of the business's passages as
// practical (all of a small business's; the service asks for up to kVectorCalibrationSample):
// beyond ranking, they are the baseline its vector confidence is calibrated against.
FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k);
// clang-format on
// The same with explicit fusion options.
FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k, const FusionOptions& options);

// Vector hits the service samples per query for the calibration baseline (every passage of a
// business up to this size; beyond it, the nearest ones, whose narrower spread makes the best
// hit's lead look larger than against the whole business: a known approximation).
inline constexpr std::size_t kVectorCalibrationSample = 200;

}  // namespace milkyhoop::rag
