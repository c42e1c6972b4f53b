#include "inverted_index.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "edit_distance.hpp"

namespace milkyhoop::rag {
namespace {

constexpr std::size_t kMaxIndexedTermLength = 64;  // longer tokens are not words people type
constexpr std::size_t kCompactMinDead = 64;        // compaction purges dead postings when the
constexpr std::size_t kCompactDeadRatio = 4;       // dead entries reach a quarter of the live

std::uint16_t Saturate(std::uint32_t n) {
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(n, 65535));
}

// Which of a-z (and "anything else", bit 26) occur in `s`.
std::uint32_t LetterMask(std::string_view s) {
  std::uint32_t mask = 0;
  for (const char c : s) mask |= (c >= 'a' && c <= 'z') ? 1u << (c - 'a') : 1u << 26;
  return mask;
}

}  // namespace

KeywordIndexImpl::TermId KeywordIndexImpl::InternTerm(const std::string& text) {
  if (auto it = term_ids_.find(text); it != term_ids_.end()) return it->second;
  const auto id = static_cast<TermId>(terms_.size());
  terms_.push_back(TermInfo{text, 0, {}});
  term_ids_.emplace(text, id);
  const std::size_t len = std::min(text.size(), kMaxIndexedTermLength);
  if (terms_by_length_.size() <= len) {
    terms_by_length_.resize(len + 1);
    masks_by_length_.resize(len + 1);
  }
  terms_by_length_[len].push_back(id);
  masks_by_length_[len].push_back(LetterMask(text));
  return id;
}

KeywordIndexImpl::DocId KeywordIndexImpl::AllocateDoc() {
  if (!free_docs_.empty()) {
    const DocId d = free_docs_.back();
    free_docs_.pop_back();
    return d;
  }
  docs_.emplace_back();
  alive_.push_back(kFree);
  title_len_.push_back(0);
  body_len_.push_back(0);
  boost_.push_back(0);
  return static_cast<DocId>(docs_.size() - 1);
}

void KeywordIndexImpl::Insert(AnalyzedEntry entry) {
  Remove(entry.id);
  // Occurrences as (term id << 1 | is-body), sorted: runs give the per-field frequencies, in
  // term order for DocInfo::terms.
  std::vector<std::uint32_t> occurrences;
  occurrences.reserve(entry.title_terms.size() + entry.body_terms.size());
  std::uint32_t title_len = 0, body_len = 0;
  for (const auto& t : entry.title_terms) {
    if (t.size() > kMaxIndexedTermLength) continue;
    occurrences.push_back(InternTerm(t) << 1);
    ++title_len;
  }
  for (const auto& t : entry.body_terms) {
    if (t.size() > kMaxIndexedTermLength) continue;
    occurrences.push_back(InternTerm(t) << 1 | 1u);
    ++body_len;
  }
  std::sort(occurrences.begin(), occurrences.end());
  std::vector<TermCount> counts;
  for (std::size_t i = 0; i < occurrences.size();) {
    const TermId term = occurrences[i] >> 1;
    std::uint32_t in_title = 0, in_body = 0;
    for (; i < occurrences.size() && (occurrences[i] >> 1) == term; ++i) {
      ++((occurrences[i] & 1u) ? in_body : in_title);
    }
    counts.push_back(TermCount{term, Saturate(in_title), Saturate(in_body)});
  }
  Place(std::move(entry.id), counts, title_len, body_len, entry.boost);
}

void KeywordIndexImpl::Place(std::string id, const std::vector<TermCount>& counts,
                             std::uint32_t title_len, std::uint32_t body_len, double boost) {
  const DocId d = AllocateDoc();
  DocInfo& doc = docs_[d];
  doc.id = id;
  doc.terms.clear();
  doc.terms.reserve(counts.size());
  for (const TermCount& c : counts) {
    terms_[c.term].postings.push_back(Posting{d, c.title_tf, c.body_tf});
    ++terms_[c.term].df;
    doc.terms.push_back(c.term << 1 | (c.title_tf > 0 ? 1u : 0u));
  }
  postings_count_ += doc.terms.size();
  alive_[d] = kAlive;
  title_len_[d] = static_cast<float>(title_len);
  body_len_[d] = static_cast<float>(body_len);
  boost_[d] = static_cast<float>(boost);
  total_title_len_ += title_len;
  total_body_len_ += body_len;
  ++live_docs_;
  doc_ids_.emplace(std::move(id), d);
}

void KeywordIndexImpl::ExportTo(KeywordIndexImage& image) const {
  image.dictionary.clear();
  image.entries.clear();
  image.dictionary.reserve(terms_.size());
  for (const TermInfo& t : terms_) image.dictionary.push_back(t.text);
  // Live entries in slot order, so a restored index numbers them in the same relative order.
  std::vector<std::uint32_t> position(docs_.size(), 0);
  for (DocId d = 0; d < docs_.size(); ++d) {
    if (!alive(d)) continue;
    position[d] = static_cast<std::uint32_t>(image.entries.size());
    AnalyzedTerms& e = image.entries.emplace_back();
    e.id = docs_[d].id;
    e.boost = boost_[d];
    e.title_length = static_cast<std::uint32_t>(title_len_[d]);
    e.body_length = static_cast<std::uint32_t>(body_len_[d]);
    e.terms.reserve(docs_[d].terms.size());
  }
  // Postings by ascending term id give each entry its terms in ascending order.
  for (TermId t = 0; t < terms_.size(); ++t) {
    for (const Posting& p : terms_[t].postings) {
      if (alive(p.doc)) {
        image.entries[position[p.doc]].terms.push_back(TermCount{t, p.title_tf, p.body_tf});
      }
    }
  }
}

void KeywordIndexImpl::RestoreFrom(const KeywordIndexImage& image) {
  // The dictionary first, in its order: term ids equal the exported index's, so typo correction
  // breaks ties between equally near terms the same way.
  for (const std::string& t : image.dictionary) InternTerm(t);
  for (const AnalyzedTerms& e : image.entries) {
    Place(e.id, e.terms, e.title_length, e.body_length, e.boost);
  }
}

void KeywordIndexImpl::Remove(std::string_view id) {
  auto it = doc_ids_.find(id);
  if (it == doc_ids_.end()) return;
  const DocId d = it->second;
  doc_ids_.erase(it);
  // The postings stay until compaction; the scoring loop skips dead entries.
  for (const std::uint32_t packed : docs_[d].terms) --terms_[packed >> 1].df;
  alive_[d] = kDead;
  total_title_len_ -= title_len_[d];
  total_body_len_ -= body_len_[d];
  --live_docs_;
  ++dead_docs_;
  MaybeCompact();
}

void KeywordIndexImpl::MaybeCompact() {
  if (dead_docs_ < kCompactMinDead || dead_docs_ * kCompactDeadRatio < live_docs_) return;
  postings_count_ = 0;
  for (auto& term : terms_) {
    std::erase_if(term.postings, [&](const Posting& p) { return alive_[p.doc] != kAlive; });
    postings_count_ += term.postings.size();
  }
  for (DocId d = 0; d < docs_.size(); ++d) {
    if (alive_[d] == kDead) {
      docs_[d] = DocInfo{};
      alive_[d] = kFree;
      free_docs_.push_back(d);
    }
  }
  dead_docs_ = 0;
}

std::optional<KeywordIndexImpl::TermId> KeywordIndexImpl::FindTerm(std::string_view term) const {
  auto it = term_ids_.find(term);
  if (it == term_ids_.end() || terms_[it->second].df == 0) return std::nullopt;
  return it->second;
}

std::optional<std::pair<KeywordIndexImpl::TermId, std::size_t>> KeywordIndexImpl::NearestTerm(
    std::string_view term, std::size_t max_distance) const {
  std::optional<std::pair<TermId, std::size_t>> best;
  if (terms_by_length_.empty()) return best;
  const std::size_t len = std::min(term.size(), kMaxIndexedTermLength);
  const std::size_t lo = len > max_distance ? len - max_distance : 0;
  const std::size_t hi = std::min(len + max_distance, terms_by_length_.size() - 1);
  const std::uint32_t mask = LetterMask(term);
  for (std::size_t l = lo; l <= hi; ++l) {
    const auto& bucket = terms_by_length_[l];
    const auto& masks = masks_by_length_[l];
    for (std::size_t i = 0; i < bucket.size(); ++i) {
      // Each edit changes whether at most two letters occur: a cheap necessary condition.
      if (static_cast<std::size_t>(std::popcount(masks[i] ^ mask)) > 2 * max_distance) continue;
      const TermId t = bucket[i];
      if (terms_[t].df == 0) continue;
      const std::size_t bound = best ? std::min(best->second, max_distance) : max_distance;
      const std::size_t d = BoundedEditDistance(term, terms_[t].text, bound);
      if (d > bound || d == 0) continue;
      if (!best || d < best->second ||
          (d == best->second && terms_[t].df > terms_[best->first].df) ||
          (d == best->second && terms_[t].df == terms_[best->first].df &&
           terms_[t].text < terms_[best->first].text)) {
        best = std::make_pair(t, d);
      }
    }
  }
  return best;
}

int KeywordIndexImpl::FieldOf(DocId d, TermId t) const {
  const auto& terms = docs_[d].terms;
  auto it = std::lower_bound(terms.begin(), terms.end(), t << 1);
  if (it == terms.end() || (*it >> 1) != t) return 0;
  return (*it & 1u) ? 2 : 1;
}

double KeywordIndexImpl::average_title_length() const {
  return live_docs_ == 0 ? 1.0 : std::max(1.0, total_title_len_ / static_cast<double>(live_docs_));
}
double KeywordIndexImpl::average_body_length() const {
  return live_docs_ == 0 ? 1.0 : std::max(1.0, total_body_len_ / static_cast<double>(live_docs_));
}

std::size_t KeywordIndexImpl::MemoryBytes() const {
  // Containers' payloads plus a rough per-node cost of the hash maps (node, bucket, hash).
  constexpr std::size_t kMapNode = 48;
  std::size_t bytes = sizeof(*this);
  bytes += terms_.capacity() * sizeof(TermInfo);
  for (const auto& t : terms_) {
    bytes += t.postings.capacity() * sizeof(Posting);
    if (t.text.size() >= sizeof(std::string)) bytes += t.text.capacity();
  }
  bytes += term_ids_.size() * (kMapNode + sizeof(std::string)) + term_ids_.bucket_count() * 8;
  for (const auto& b : terms_by_length_) bytes += b.capacity() * sizeof(TermId);
  for (const auto& b : masks_by_length_) bytes += b.capacity() * sizeof(std::uint32_t);
  bytes += docs_.capacity() * sizeof(DocInfo);
  for (const auto& d : docs_) {
    bytes += d.terms.capacity() * sizeof(std::uint32_t);
    if (d.id.size() >= sizeof(std::string)) bytes += d.id.capacity();
  }
  bytes += doc_ids_.size() * (kMapNode + sizeof(std::string)) + doc_ids_.bucket_count() * 8;
  bytes += alive_.capacity() +
           (title_len_.capacity() + body_len_.capacity() + boost_.capacity()) * sizeof(float);
  bytes += free_docs_.capacity() * sizeof(DocId);
  return bytes;
}

}  // namespace milkyhoop::rag
