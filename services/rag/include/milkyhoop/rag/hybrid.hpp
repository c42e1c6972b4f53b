#pragma once
// Hybrid retrieval: reciprocal-rank fusion of keyword and vector hits, and the calibrated
// confidence of the best fused hit that the chatbot's tier router consumes
// (≥0.85 direct FAQ answer, ≥0.60 grounded, ≥0.30 deep, below 0.30 deflect).

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
struct FusedSearch { std::vector<FusedHit> hits; double confidence = 0; };
// clang-format on

// How cosine similarities of an embedding model map to confidence: `similarity_floor` and below
// is no evidence (0), `similarity_ceiling` and above is full evidence (1), linear between.
// The defaults suit OpenAI-style normalised embedding models; the service may set its own.
struct FusionOptions {
  double rrf_k = 60;
  double similarity_floor = 0.35;
  double similarity_ceiling = 0.85;
};

// clang-format off
// Either input may be empty (keyword-only when no embedding provider; vector-only mode).
FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k);
// clang-format on
// The same with explicit fusion options.
FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k, const FusionOptions& options);

}  // namespace milkyhoop::rag
