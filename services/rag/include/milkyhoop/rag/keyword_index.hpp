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

#include "milkyhoop/core/status.hpp"
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
// The index as it holds entries after analysis, for snapshots, which so skip the analysis (the
// expensive part of a build): the term dictionary in the index's order, and per entry its
// distinct terms (positions in the dictionary) with their frequency in the title and the body.
struct TermCount {
  std::uint32_t term = 0;
  std::uint16_t title_tf = 0;
  std::uint16_t body_tf = 0;
};
struct AnalyzedTerms {
  std::string id;
  double boost = 1.0;
  std::uint32_t title_length = 0, body_length = 0;  // in terms (a count saturates, these not)
  std::vector<TermCount> terms;                     // ascending term, each once
};
struct KeywordIndexImage {
  std::vector<std::string> dictionary;
  std::vector<AnalyzedTerms> entries;  // in the index's order
};
// clang-format on

// Changes whenever analysis would turn a text into other terms (the data tables, or
// kAnalysisRevision in keyword_index.cpp for a change of code): analysed terms saved under
// another fingerprint must be analysed again.
std::uint64_t AnalysisFingerprint();

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

  // The live entries with their analysed terms; and the way back in: Restore into an empty
  // index gives one that answers every search as this one does. kInvalidArgument (nothing
  // changed) when the image is inconsistent (a term outside the dictionary, an entry twice).
  KeywordIndexImage Export() const;
  Status Restore(const KeywordIndexImage& image);

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
