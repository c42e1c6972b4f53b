#include "milkyhoop/rag/keyword_index.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "bm25_scorer.hpp"
#include "confidence.hpp"
#include "inverted_index.hpp"
#include "query_plan.hpp"

namespace milkyhoop::rag {
namespace {

// A match only in the body is weaker evidence than one in the title (FAQ question).
constexpr double kBodyOnlyMatch = 0.6;
// Bytes of a query that are read: chat messages are short; the rest is ignored.
constexpr std::size_t kMaxQueryBytes = 2048;

// What each slot contributes, seen from entry `d`.
std::vector<SlotEvidence> Evidence(const KeywordIndexImpl& index,
                                   const std::vector<QuerySlot>& slots, KeywordIndexImpl::DocId d) {
  std::vector<SlotEvidence> evidence;
  evidence.reserve(slots.size());
  for (const auto& slot : slots) {
    SlotEvidence e{slot.importance, slot.generic, 0};
    for (const auto& a : slot.alternatives) {
      const int field = index.FieldOf(d, a.term);
      if (field == 0) continue;
      e.match = std::max(e.match, a.weight * (field == 2 ? 1.0 : kBodyOnlyMatch));
    }
    evidence.push_back(e);
  }
  return evidence;
}

}  // namespace

KeywordIndex::KeywordIndex(std::shared_ptr<const TextAnalyzer> analyzer)
    : analyzer_(analyzer ? std::move(analyzer) : TextAnalyzer::Default()),
      impl_(std::make_unique<KeywordIndexImpl>()) {}

KeywordIndex::~KeywordIndex() = default;

void KeywordIndex::Upsert(const IndexEntry& entry) {
  // Analysis is the expensive part: done before taking the lock.
  AnalyzedEntry analyzed{entry.id, analyzer_->Terms(entry.title), analyzer_->Terms(entry.body),
                         std::isfinite(entry.boost) && entry.boost > 0 ? entry.boost : 1.0};
  std::lock_guard gate(writer_gate_);
  std::unique_lock lock(mutex_);
  impl_->Insert(std::move(analyzed));
}

void KeywordIndex::Remove(std::string_view id) {
  std::lock_guard gate(writer_gate_);
  std::unique_lock lock(mutex_);
  impl_->Remove(id);
}

KeywordSearch KeywordIndex::Search(std::string_view query, std::size_t top_k) const {
  if (query.size() > kMaxQueryBytes) query = query.substr(0, kMaxQueryBytes);
  top_k = std::min(top_k, kMaxTopK);
  const auto words = analyzer_->Analyze(query);
  KeywordSearch result;
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  const auto slots = PlanQuery(words, *analyzer_, *impl_);
  for (const auto& s : slots) result.terms.push_back(s.label);
  // Two at least, for the margin of the confidence.
  const auto scored = ScoreTopK(*impl_, slots, std::max<std::size_t>(top_k, 2));
  if (!scored.empty()) {
    const double second = scored.size() > 1 ? scored[1].score : 0.0;
    result.confidence =
        KeywordConfidence(Evidence(*impl_, slots, scored[0].doc), scored[0].score, second);
  }
  for (std::size_t i = 0; i < scored.size() && i < top_k; ++i) {
    result.hits.push_back({impl_->doc_id(scored[i].doc), scored[i].score});
  }
  return result;
}

std::size_t KeywordIndex::size() const {
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  return impl_->live_docs();
}

std::size_t KeywordIndex::MemoryBytes() const {
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  return sizeof(*this) + impl_->MemoryBytes();
}

}  // namespace milkyhoop::rag
