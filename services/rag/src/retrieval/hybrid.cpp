#include "milkyhoop/rag/hybrid.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "confidence.hpp"

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

// Vector evidence for a hit: how far its similarity stands out from the query's baseline.
double VectorEvidence(const SimilarityBaseline& baseline, const FusedHit& hit) {
  if (!hit.vector_similarity) return 0;
  return Clamp01(VectorConfidence(*hit.vector_similarity, baseline));
}

}  // namespace

FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k) {
  return Fuse(keyword, vector, top_k, FusionOptions{});
}

FusedSearch Fuse(const KeywordSearch& keyword, const std::vector<VectorHit>& vector,
                 std::size_t top_k, const FusionOptions& options) {
  const double k = options.rrf_k > 0 ? options.rrf_k : 60;
  std::vector<double> similarities;
  similarities.reserve(vector.size());
  for (const VectorHit& v : vector) similarities.push_back(v.similarity);
  const SimilarityBaseline baseline = BaselineOf(similarities);
  const double keyword_confidence = keyword.hits.empty() ? 0 : Clamp01(keyword.confidence);
  const double vector_confidence =
      vector.empty() ? 0 : Clamp01(VectorConfidence(vector.front().similarity, baseline));
  // Weighted RRF: plain RRF (k = 60) cannot tell a keyword match that stands out from a vector
  // hit that is merely nearest (1/61 + 1/63 vs 1/62 + 1/61), so each list's votes count by how
  // sure its method is, for this query, that its best hit stands out. Only the ratio matters:
  // the surer list weighs 1 (keyword-only fusion keeps its plain RRF values).
  double keyword_weight = kMinFusionWeight + keyword_confidence;
  double vector_weight = kMinFusionWeight + vector_confidence;
  const double top_weight = std::max(keyword_weight, vector_weight);
  keyword_weight /= top_weight;
  vector_weight /= top_weight;
  if (vector.empty()) keyword_weight = 1;
  if (keyword.hits.empty()) vector_weight = 1;

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
    h.rrf += keyword_weight / (k + static_cast<double>(i + 1));
  }
  for (std::size_t i = 0; i < vector.size(); ++i) {
    FusedHit& h = hit_for(vector[i].id);
    if (h.vector_rank) continue;
    h.vector_rank = static_cast<int>(i + 1);
    h.vector_similarity = vector[i].similarity;
    h.rrf += vector_weight / (k + static_cast<double>(i + 1));
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
  result.keyword_confidence = keyword_confidence;
  result.vector_confidence = vector_confidence;
  if (hits.empty()) return result;
  // Confidence of the best fused hit. One method alone: its evidence. Both: the stronger leads
  // and the other closes a share lo·hi of the remaining doubt, c = hi + hi·lo·(1 − hi): agreement
  // of two weak signals is likely by chance when neither stands out (it barely adds), agreement
  // of two strong ones is not.
  const double ck = KeywordEvidence(keyword, hits.front());
  const double cv = VectorEvidence(baseline, hits.front());
  double confidence;
  if (vector.empty()) {
    confidence = ck;
  } else if (keyword.hits.empty()) {
    confidence = cv;
  } else {
    const double hi = std::max(ck, cv), lo = std::min(ck, cv);
    confidence = hi + hi * lo * (1.0 - hi);
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
