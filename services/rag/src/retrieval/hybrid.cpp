#include "milkyhoop/rag/hybrid.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace milkyhoop::rag {
namespace {

double Clamp01(double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; }

// Keyword evidence for a hit: the calibrated confidence of the keyword top hit, scaled by the
// hit's BM25 score relative to that top hit for the others.
double KeywordEvidence(const KeywordSearch& keyword, const FusedHit& hit) {
  if (!hit.keyword_rank || keyword.hits.empty()) return 0;
  if (*hit.keyword_rank == 1) return Clamp01(keyword.confidence);
  const double top = keyword.hits.front().score;
  return top > 0 ? Clamp01(keyword.confidence * hit.keyword_score.value_or(0) / top) : 0;
}

// Vector evidence: the cosine similarity mapped linearly from [floor, ceiling] to [0, 1].
double VectorEvidence(const FusionOptions& o, const FusedHit& hit) {
  if (!hit.vector_similarity) return 0;
  const double span = std::max(1e-9, o.similarity_ceiling - o.similarity_floor);
  return Clamp01((*hit.vector_similarity - o.similarity_floor) / span);
}

}  // namespace

FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k) {
  return Fuse(keyword, vector, top_k, FusionOptions{});
}

FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k, const FusionOptions& options) {
  const double k = options.rrf_k > 0 ? options.rrf_k : 60;
  std::vector<FusedHit> hits;
  std::unordered_map<std::string, std::size_t> index_of;
  auto hit_for = [&](const std::string& id) -> FusedHit& {
    auto [it, inserted] = index_of.emplace(id, hits.size());
    if (inserted) {
      hits.emplace_back();
      hits.back().id = id;
    }
    return hits[it->second];
  };
  for (std::size_t i = 0; i < keyword.hits.size(); ++i) {
    FusedHit& h = hit_for(keyword.hits[i].id);
    if (h.keyword_rank) continue;  // a duplicate id: its best rank counts
    h.keyword_rank = static_cast<int>(i + 1);
    h.keyword_score = keyword.hits[i].score;
    h.rrf += 1.0 / (k + static_cast<double>(i + 1));
  }
  for (std::size_t i = 0; i < vector.size(); ++i) {
    FusedHit& h = hit_for(vector[i].id);
    if (h.vector_rank) continue;
    h.vector_rank = static_cast<int>(i + 1);
    h.vector_similarity = vector[i].similarity;
    h.rrf += 1.0 / (k + static_cast<double>(i + 1));
  }
  // Best fused rank first; ties go to the better keyword rank, then the id, for stable output.
  std::sort(hits.begin(), hits.end(), [](const FusedHit& a, const FusedHit& b) {
    if (a.rrf != b.rrf) return a.rrf > b.rrf;
    const int ka = a.keyword_rank.value_or(1 << 30), kb = b.keyword_rank.value_or(1 << 30);
    if (ka != kb) return ka < kb;
    return a.id < b.id;
  });
  if (hits.size() > top_k) hits.resize(top_k);

  FusedSearch result;
  if (hits.empty()) return result;
  // Confidence of the best fused hit. One method alone: its evidence. Both: the stronger leads
  // and agreement raises it, never above 1:  c = hi + ½ · lo · (1 − hi).
  const double ck = KeywordEvidence(keyword, hits.front());
  const double cv = VectorEvidence(options, hits.front());
  double confidence;
  if (vector.empty()) {
    confidence = ck;
  } else if (keyword.hits.empty()) {
    confidence = cv;
  } else {
    const double hi = std::max(ck, cv), lo = std::min(ck, cv);
    confidence = hi + 0.5 * lo * (1.0 - hi);
  }
  result.confidence = Clamp01(confidence);
  // Scores follow the fused order, scaled so that the best hit's score is the confidence.
  const double top_rrf = hits.front().rrf;
  for (auto& h : hits) h.score = top_rrf > 0 ? Clamp01(result.confidence * h.rrf / top_rrf) : 0;
  hits.front().score = result.confidence;
  result.hits = std::move(hits);
  return result;
}

}  // namespace milkyhoop::rag
