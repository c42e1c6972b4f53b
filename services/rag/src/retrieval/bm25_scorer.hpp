#pragma once
// BM25F scoring of query slots over the inverted index, term at a time, and top-k selection.

#include <cstddef>
#include <utility>
#include <vector>

#include "inverted_index.hpp"
#include "query_plan.hpp"

namespace milkyhoop::rag {

// BM25 with per-field length normalisation (BM25F): the title counts kTitleWeight times a body
// occurrence. Standard k1 and b.
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;
inline constexpr double kTitleWeight = 3.0;
inline constexpr double kBodyWeight = 1.0;

struct ScoredDoc {
  KeywordIndexImpl::DocId doc;
  double score;
};

// The best `top_k` live entries, best first (ties: lower slot first). An entry's score is its
// boost times the sum over slots of the best weighted BM25F contribution among the slot's
// alternatives (a synonym does not add to its word, it stands in for it).
std::vector<ScoredDoc> ScoreTopK(const KeywordIndexImpl& index, const std::vector<QuerySlot>& slots,
                                 std::size_t top_k);

}  // namespace milkyhoop::rag
