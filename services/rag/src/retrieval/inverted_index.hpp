#pragma once
// The data of a KeywordIndex: term dictionary, postings and per-entry statistics for BM25F.
// Not synchronised: KeywordIndex guards it (shared lock to read, exclusive to write).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "milkyhoop/rag/keyword_index.hpp"

namespace milkyhoop::rag {

// An entry after text analysis, ready to insert (analysis runs outside the index's lock).
struct AnalyzedEntry {
  std::string id;
  std::vector<std::string> title_terms;
  std::vector<std::string> body_terms;
  double boost = 1.0;
};

struct Posting {
  std::uint32_t doc;
  std::uint16_t title_tf;  // saturates at 65535
  std::uint16_t body_tf;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class KeywordIndexImpl {
 public:
  using TermId = std::uint32_t;
  using DocId = std::uint32_t;

  void Insert(AnalyzedEntry entry);  // replaces an entry with the same id
  // Snapshots (KeywordIndex::Export/Restore): the dictionary in term-id order and each live
  // entry's term counts; Restore expects an empty index and a checked image.
  void ExportTo(KeywordIndexImage& image) const;
  void RestoreFrom(const KeywordIndexImage& image);
  void Remove(std::string_view id);

  // Terms with at least one live entry.
  std::optional<TermId> FindTerm(std::string_view term) const;
  // The live term nearest to `term` within `max_distance` edits (fewest edits, then the most
  // frequent), and its distance.
  std::optional<std::pair<TermId, std::size_t>> NearestTerm(std::string_view term,
                                                            std::size_t max_distance) const;

  const std::string& TermText(TermId t) const { return terms_[t].text; }
  std::uint32_t DocFrequency(TermId t) const { return terms_[t].df; }
  const std::vector<Posting>& Postings(TermId t) const { return terms_[t].postings; }
  // Where `t` occurs in live entry `d`: 0 absent, 1 body only, 2 title.
  int FieldOf(DocId d, TermId t) const;

  std::size_t live_docs() const { return live_docs_; }
  std::size_t doc_slots() const { return docs_.size(); }
  bool alive(DocId d) const { return alive_[d] == kAlive; }
  const std::uint8_t* alive_column() const { return alive_.data(); }
  const float* title_length_column() const { return title_len_.data(); }
  const float* body_length_column() const { return body_len_.data(); }
  static constexpr std::uint8_t kAlive = 1;
  float title_length(DocId d) const { return title_len_[d]; }
  float body_length(DocId d) const { return body_len_[d]; }
  float boost(DocId d) const { return boost_[d]; }
  const std::string& doc_id(DocId d) const { return docs_[d].id; }
  double average_title_length() const;
  double average_body_length() const;
  std::size_t MemoryBytes() const;

 private:
  struct TermInfo {
    std::string text;
    std::uint32_t df = 0;  // live entries containing the term
    std::vector<Posting> postings;
  };
  struct DocInfo {
    std::string id;
    // Sorted (term id << 1 | in-title bit): the entry's distinct terms, for removal and for
    // the confidence's per-field evidence.
    std::vector<std::uint32_t> terms;
  };

  static constexpr std::uint8_t kDead = 0;  // removed, postings not yet purged
  static constexpr std::uint8_t kFree = 2;  // purged, reusable

  TermId InternTerm(const std::string& text);
  // Places a new entry (not present) from its per-term counts, ascending term ids.
  void Place(std::string id, const std::vector<TermCount>& counts, std::uint32_t title_len,
             std::uint32_t body_len, double boost);
  DocId AllocateDoc();
  void MaybeCompact();

  std::unordered_map<std::string, TermId, StringHash, std::equal_to<>> term_ids_;
  std::vector<TermInfo> terms_;
  std::vector<std::vector<TermId>> terms_by_length_;         // for typo correction
  std::vector<std::vector<std::uint32_t>> masks_by_length_;  // their letter sets
  std::unordered_map<std::string, DocId, StringHash, std::equal_to<>> doc_ids_;
  std::vector<DocInfo> docs_;
  // Per-entry columns read by the scoring loop, kept apart from DocInfo for locality.
  std::vector<std::uint8_t> alive_;  // kAlive, kDead or kFree
  std::vector<float> title_len_, body_len_, boost_;
  std::vector<DocId> free_docs_;  // dead slots whose postings were purged
  std::size_t live_docs_ = 0, dead_docs_ = 0;
  double total_title_len_ = 0, total_body_len_ = 0;
  std::size_t postings_count_ = 0;
};

}  // namespace milkyhoop::rag
