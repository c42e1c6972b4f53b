#pragma once
// The in-memory indexes of every business, derived from the service's rows: one
// KnowledgeIndex per business (never shared), built from the database on first use and kept
// current by every write after it commits.
//
// Consistency: a write applies itself under the business's lock after its transaction commits;
// the first use loads under the same lock. Either the load sees the commit, or the write finds
// the index loaded and applies itself; upserts and removals are idempotent, so seeing both is
// harmless.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/rag/keyword_index.hpp"
#include "milkyhoop/rag/vector_index.hpp"

namespace milkyhoop::rag {

// One searchable passage and what a search result shows of it.
struct Passage {
  std::string entry_id;     // "faq:<id>" or "chunk:<id>": unique within the business
  std::string source_type;  // faq | document | product | profile
  std::string source_id;
  std::string title;
  std::string text;
  double boost = 1.0;
  std::vector<float> embedding;  // empty when not embedded
};

class KnowledgeIndex {
 public:
  KnowledgeIndex();
  void Put(Passage passage);
  void Remove(const std::string& entry_id);
  // Every passage of one source (a document's chunks), e.g. before replacing them.
  void RemoveSource(const std::string& source_type, const std::string& source_id);

  const KeywordIndex& keyword() const { return keyword_; }
  // Null until the first embedded passage fixes the dimension.
  std::shared_ptr<const VectorIndex> vectors() const;
  // A copy of the passage's display fields; nullopt when it was removed meanwhile.
  std::optional<Passage> Find(const std::string& entry_id) const;
  std::size_t size() const;

 private:
  KeywordIndex keyword_;
  mutable std::shared_mutex mu_;
  std::shared_ptr<VectorIndex> vectors_;
  std::unordered_map<std::string, Passage> passages_;  // without embeddings
  std::unordered_map<std::string, std::vector<std::string>> by_source_;
};

class IndexRegistry {
 public:
  using Loader = std::function<Result<std::vector<Passage>>(const std::string& org_id,
                                                            const std::string& business_id)>;
  explicit IndexRegistry(Loader loader) : loader_(std::move(loader)) {}

  // The business's index, loaded from the database on first use. Keyed by both ids and loaded
  // from rows matching both, so a business named with the wrong organisation is empty.
  Result<std::shared_ptr<KnowledgeIndex>> Get(const std::string& org_id,
                                              const std::string& business_id);
  // Runs `apply` on the business's index if it is loaded (after a committed write).
  void IfLoaded(const std::string& org_id, const std::string& business_id,
                const std::function<void(KnowledgeIndex&)>& apply);
  void Forget(const std::string& org_id, const std::string& business_id);
  std::size_t loaded() const;

 private:
  struct Slot {
    std::mutex mu;  // held while loading and while applying writes
    std::shared_ptr<KnowledgeIndex> index;
  };
  std::shared_ptr<Slot> SlotOf(const std::string& key, bool create);

  Loader loader_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace milkyhoop::rag
