#pragma once
// A per-business BM25 keyword index over FAQs, document chunks, products and the profile, with
// typo-tolerant queries and a calibrated confidence for the best hit.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/rag/text_analyzer.hpp"

namespace milkyhoop::rag {

// clang-format off
struct IndexEntry {
  std::string id;     // unique within the index
  std::string title;  // FAQ question, product name, document heading: weighs more than body
  std::string body;   // FAQ answer, chunk text, product/profile description
  double boost = 1.0; // per-source prior (the service uses 1.0 for FAQs, less for products/docs)
};
struct KeywordHit {
  std::string id;
  double score = 0;   // BM25 (unbounded), for explain
};
struct KeywordSearch {
  std::vector<KeywordHit> hits;    // best first, at most top_k
  double confidence = 0;           // calibrated, in [0,1]: that hits[0] answers the query
  std::vector<std::string> terms;  // the query's terms after analysis and typo correction
};
// clang-format on

class KeywordIndexImpl;

// clang-format off
class KeywordIndex {  // one per business; thread-safe: Search concurrent with Upsert/Remove
 public:
  explicit KeywordIndex(std::shared_ptr<const TextAnalyzer> analyzer = TextAnalyzer::Default());
  void Upsert(const IndexEntry& entry);  // replaces the entry with the same id
  void Remove(std::string_view id);      // honoured by the very next Search
  KeywordSearch Search(std::string_view query, std::size_t top_k) const;
  std::size_t size() const;
  std::size_t MemoryBytes() const;  // approximate, for metrics and the benchmark
  // clang-format on

  ~KeywordIndex();
  KeywordIndex(const KeywordIndex&) = delete;
  KeywordIndex& operator=(const KeywordIndex&) = delete;

  static constexpr std::size_t kMaxTopK = 1000;

 private:
  std::shared_ptr<const TextAnalyzer> analyzer_;
  // Readers share mutex_, writers own it. glibc's rwlock prefers readers, so a writer first
  // takes writer_gate_ and holds it while waiting: new readers pass the gate (briefly) before
  // mutex_, so a steady stream of searches cannot starve Upsert/Remove.
  mutable std::shared_mutex mutex_;
  mutable std::mutex writer_gate_;
  std::unique_ptr<KeywordIndexImpl> impl_;
};

}  // namespace milkyhoop::rag
