#include "milkyhoop/rag/keyword_index.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_set>

#include "bm25_scorer.hpp"
#include "confidence.hpp"
#include "embedded_tables.hpp"
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

KeywordIndexImage KeywordIndex::Export() const {
  KeywordIndexImage image;
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  impl_->ExportTo(image);
  return image;
}

Status KeywordIndex::Restore(const KeywordIndexImage& image) {
  // Checked before anything changes: an image comes from a file.
  std::unordered_set<std::string_view> ids;
  for (const AnalyzedTerms& e : image.entries) {
    if (e.id.empty() || !ids.insert(e.id).second) {
      return Status(StatusCode::kDataLoss,
                    std::string("snapshot ") + "holds an empty or repeated entry id");
    }
    for (std::size_t i = 0; i < e.terms.size(); ++i) {
      if (e.terms[i].term >= image.dictionary.size() ||
          (i > 0 && e.terms[i].term <= e.terms[i - 1].term)) {
        return Status(StatusCode::kDataLoss,
                      std::string("snapshot ") + "holds a term list out of order or out of range");
      }
    }
    if (!std::isfinite(e.boost) || e.boost <= 0) {
      return Status(StatusCode::kDataLoss,
                    std::string("snapshot ") + "holds an entry boost that is not positive");
    }
  }
  std::unordered_set<std::string_view> terms(image.dictionary.begin(), image.dictionary.end());
  if (terms.size() != image.dictionary.size()) {
    return Status(StatusCode::kDataLoss,
                  std::string("snapshot ") + "holds a term twice in its dictionary");
  }
  std::lock_guard gate(writer_gate_);
  std::unique_lock lock(mutex_);
  if (impl_->live_docs() != 0 || impl_->doc_slots() != 0) {
    return FailedPrecondition("a keyword index is restored into an empty one only");
  }
  impl_->RestoreFrom(image);
  return Status::Ok();
}

std::uint64_t AnalysisFingerprint() {
  // Bump when a change of code makes analysis produce other terms for the same text.
  constexpr std::uint64_t kAnalysisRevision = 1;
  static const std::uint64_t fingerprint = [] {
    std::uint64_t h = 1469598103934665603ull ^ kAnalysisRevision;  // FNV-1a
    for (std::string_view table : {NormalizationText(), StopwordsText(), GenericWordsText(),
                                   EnglishWordsText(), SynonymsText(), StemOverridesText()}) {
      for (const char c : table) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      h = (h ^ 0xffu) * 1099511628211ull;  // table boundary
    }
    return h;
  }();
  return fingerprint;
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
