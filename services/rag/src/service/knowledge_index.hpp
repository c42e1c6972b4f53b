#pragma once
// The in-memory indexes of every business, derived from the service's rows: one
// KnowledgeIndex per business (never shared). Each knows the change-log sequence it reflects
// (change_log.hpp); index_sync.hpp loads them (from a snapshot or the tables) and applies the
// log to them, always under the business's slot lock, so loads and catch-ups never interleave.
#include <atomic>
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

// Everything a KnowledgeIndex holds, for a snapshot (index_snapshot.hpp).
struct KnowledgeIndexImage {
  std::int64_t seq = 0;
  // The embedding model of its vectors ("" for none): the index holds only the configured
  // model's vectors, so a snapshot records it and a load with another model rebuilds instead.
  std::string embedding_model;
  std::vector<Passage> passages;  // in the order of keyword.entries; embeddings only without
  KeywordIndexImage keyword;      // `vectors` (entries' boosts are the passages')
  std::optional<VectorIndexImage> vectors;
};

class KnowledgeIndex {
 public:
  KnowledgeIndex();
  // A copy of everything, for a snapshot. Concurrent searches are fine; writes must wait (the
  // caller holds the business's slot lock). `scratch`: a directory for hnswlib's files.
  Result<KnowledgeIndexImage> Export(const std::string& scratch) const;
  // kDataLoss when the image is inconsistent (a corrupt snapshot that passed its checksum).
  static Result<std::shared_ptr<KnowledgeIndex>> Restore(KnowledgeIndexImage image,
                                                         const std::string& scratch);

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

  // The newest change-log sequence this index reflects, and the one its last snapshot holds.
  std::int64_t applied_seq() const { return applied_seq_.load(); }
  void set_applied_seq(std::int64_t seq) { applied_seq_.store(seq); }
  std::int64_t snapshot_seq() const { return snapshot_seq_.load(); }
  void set_snapshot_seq(std::int64_t seq) { snapshot_seq_.store(seq); }

 private:
  std::atomic<std::int64_t> applied_seq_{0};
  std::atomic<std::int64_t> snapshot_seq_{-1};
  KeywordIndex keyword_;
  mutable std::shared_mutex mu_;
  std::shared_ptr<VectorIndex> vectors_;
  std::unordered_map<std::string, Passage> passages_;  // without embeddings
  std::unordered_map<std::string, std::vector<std::string>> by_source_;
};

// The slots of the businesses, one index each. Keyed by (organisation, business): an index is
// only ever loaded from rows matching both ids, so a business named with the wrong organisation
// is an empty index, never another tenant's.
class IndexRegistry {
 public:
  // Runs `fn` under the business's slot lock with the slot's index (null when not loaded): it may
  // load, replace or update it. `create` false: does nothing for a business never used.
  Status WithSlot(const std::string& org_id, const std::string& business_id, bool create,
                  const std::function<Status(std::shared_ptr<KnowledgeIndex>&)>& fn);
  // The business's index as the last WithSlot left it, without waiting for the slot lock: a
  // search never waits for a catch-up or a snapshot of its business. Null when not loaded.
  std::shared_ptr<KnowledgeIndex> Peek(const std::string& org_id,
                                       const std::string& business_id) const;
  struct Business {
    std::string org_id, business_id;
  };
  std::vector<Business> Loaded() const;
  void Forget(const std::string& org_id, const std::string& business_id);
  std::size_t loaded() const;

 private:
  struct Slot {
    std::mutex mu;  // held while loading and while applying changes
    std::shared_ptr<KnowledgeIndex> index;
    std::atomic<std::shared_ptr<KnowledgeIndex>> published;  // `index`, for Peek
    std::string org_id, business_id;
  };

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace milkyhoop::rag
