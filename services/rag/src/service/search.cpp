// Search: keyword (BM25 over the business's index), vector (when embeddings are configured),
// or both fused by reciprocal rank, with the calibrated confidence of the best result.
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/rag/hybrid.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {
namespace {

// Candidates taken from each method before fusion: more than asked for, so a passage ranked
// modestly by both methods can still come first.
constexpr std::size_t kCandidateFactor = 3;

}  // namespace

Result<v1::SearchResponse> RagServiceImpl::Search(const v1::SearchRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  MH_ASSIGN_OR_RETURN(const std::string query,
                      ValidateText("query", request.query(), kMaxQueryChars, true, true));
  if (request.top_k() < 0 || request.top_k() > kMaxTopK) {
    return InvalidField("top_k", "must be between 1 and " + std::to_string(kMaxTopK));
  }
  const std::size_t top_k = request.top_k() == 0 ? 5 : static_cast<std::size_t>(request.top_k());
  const std::string& mode = request.mode().empty() ? std::string("hybrid") : request.mode();
  if (mode != "hybrid" && mode != "keyword" && mode != "vector") {
    return InvalidField("mode", "must be hybrid, keyword or vector");
  }
  if (mode == "vector" && !options_.embeddings) {
    return FailedPrecondition("vector search needs an embedding provider (rag.embedding_url)");
  }
  // Known down: no wait for the provider, and no silent empty answer.
  if (mode == "vector" && !breaker_->Closed()) MH_TRY(EmbedQuery(query).status());
  MH_ASSIGN_OR_RETURN(std::shared_ptr<KnowledgeIndex> index,
                      indexes_.Get(request.org_id(), request.business_id()));

  const std::size_t candidates = top_k * kCandidateFactor;
  KeywordSearch keyword;
  if (mode != "vector") keyword = index->keyword().Search(query, candidates);
  std::vector<VectorHit> vector;
  bool used_vectors = false;
  if (mode != "keyword" && options_.embeddings) {
    std::shared_ptr<const VectorIndex> vectors = index->vectors();
    if (vectors && vectors->size() > 0) {
      // With the provider down, hybrid answers from keywords at once (its `mode` says so);
      // vector search cannot answer at all and says why instead of finding nothing.
      Result<std::vector<float>> embedded = EmbedQuery(query);
      if (!embedded.ok() && mode == "vector") return embedded.status();
      if (embedded.ok() && embedded->size() == vectors->dimensions()) {
        // Beyond the candidates: the rest of the business's passages are the baseline the
        // vector confidence is calibrated against (hybrid.hpp).
        vector = vectors->Search(*embedded, std::max(candidates, kVectorCalibrationSample));
        used_vectors = true;
      }
    }
  }
  const FusedSearch fused = Fuse(keyword, vector, top_k);

  v1::SearchResponse out;
  out.set_mode(mode == "vector" ? "vector" : used_vectors ? "hybrid" : "keyword");
  out.set_confidence(fused.confidence);
  if (request.explain()) {
    for (const std::string& t : keyword.terms) out.add_terms(t);
  }
  for (const FusedHit& hit : fused.hits) {
    std::optional<Passage> p = index->Find(hit.id);
    if (!p) continue;  // removed since the search ran
    v1::SearchResult& r = *out.add_results();
    r.set_source_type(p->source_type);
    r.set_source_id(p->source_id);
    r.set_title(std::move(p->title));
    r.set_text(std::move(p->text));
    r.set_score(hit.score);
    if (request.explain()) {
      v1::SearchExplain& e = *r.mutable_explain();
      if (hit.keyword_rank) e.set_keyword_rank(*hit.keyword_rank);
      if (hit.keyword_score) e.set_keyword_score(*hit.keyword_score);
      if (hit.vector_rank) e.set_vector_rank(*hit.vector_rank);
      if (hit.vector_similarity) e.set_vector_similarity(*hit.vector_similarity);
      e.set_rrf(hit.rrf);
    }
  }
  if (out.results().empty()) out.set_confidence(0);
  return out;
}

}  // namespace milkyhoop::rag
