#include "query_plan.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace milkyhoop::rag {
namespace {

void AddAlternative(QuerySlot& slot, KeywordIndexImpl::TermId term, double weight) {
  for (auto& a : slot.alternatives) {
    if (a.term == term) {
      a.weight = std::max(a.weight, weight);
      return;
    }
  }
  slot.alternatives.push_back({term, weight});
}

// A word written as two indexed words run together ("bedcover"), split where both halves (of
// at least kMinCompoundPart letters) are known; the split with the rarer halves wins.
std::optional<std::pair<KeywordIndexImpl::TermId, KeywordIndexImpl::TermId>> SplitCompound(
    std::string_view word, const TextAnalyzer& analyzer, const KeywordIndexImpl& index) {
  constexpr std::size_t kMinCompoundPart = 3;
  std::optional<std::pair<KeywordIndexImpl::TermId, KeywordIndexImpl::TermId>> best;
  std::uint32_t best_df = 0;
  for (std::size_t cut = kMinCompoundPart; cut + kMinCompoundPart <= word.size(); ++cut) {
    auto left = analyzer.StemWord(word.substr(0, cut));
    auto right = analyzer.StemWord(word.substr(cut));
    auto l = index.FindTerm(left.front());
    auto r = index.FindTerm(right.front());
    if (!l || !r) continue;
    const std::uint32_t df = index.DocFrequency(*l) + index.DocFrequency(*r);
    if (!best || df < best_df) {
      best = std::make_pair(*l, *r);
      best_df = df;
    }
  }
  return best;
}

}  // namespace

double Idf(double n, double df) { return std::log(1.0 + (n - df + 0.5) / (df + 0.5)); }

std::size_t MaxTypoDistance(std::size_t length) {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

std::vector<QuerySlot> PlanQuery(const std::vector<AnalyzedWord>& words,
                                 const TextAnalyzer& analyzer, const KeywordIndexImpl& index) {
  const double n = static_cast<double>(index.live_docs());
  // A word the index does not know is the most informative of all: BM25's IDF at df = 0.
  // An off-topic question is mostly such words.
  const double unknown_idf = Idf(n, 0);
  std::vector<QuerySlot> slots;
  for (const auto& word : words) {
    if (slots.size() >= kMaxQuerySlots) break;
    if (word.stems.empty()) continue;
    const bool repeated = std::any_of(slots.begin(), slots.end(), [&](const QuerySlot& s) {
      return s.label == word.stems.front();
    });
    if (repeated) continue;
    QuerySlot slot;
    slot.label = word.stems.front();
    slot.generic = word.generic;
    double own_idf = 0;
    for (const auto& stem : word.stems) {
      if (auto t = index.FindTerm(stem)) {
        AddAlternative(slot, *t, 1.0);
        own_idf = std::max(own_idf, Idf(n, index.DocFrequency(*t)));
      }
    }
    if (slot.alternatives.empty()) {
      for (const auto& stem : analyzer.ColloquialStems(word.surface)) {
        if (auto t = index.FindTerm(stem)) {
          AddAlternative(slot, *t, kColloquialWeight);
          own_idf = std::max(own_idf, Idf(n, index.DocFrequency(*t)));
        }
      }
    }
    if (slot.alternatives.empty()) {
      if (auto parts = SplitCompound(word.surface, analyzer, index)) {
        // "bedcover" for "bed cover": the two words, as if typed apart.
        for (auto term : {parts->first, parts->second}) {
          QuerySlot part;
          part.label = index.TermText(term);
          part.alternatives.push_back({term, kCompoundWeight});
          part.importance = Idf(n, index.DocFrequency(term));
          slots.push_back(std::move(part));
        }
        continue;
      }
    }
    double synonym_idf = 0;
    std::vector<QueryAlternative> synonyms;
    for (const auto& syn : word.synonyms) {
      if (auto t = index.FindTerm(syn)) {
        synonyms.push_back({*t, kSynonymWeight});
        synonym_idf = std::max(synonym_idf, Idf(n, index.DocFrequency(*t)));
      }
    }
    // Typo correction only for a word nothing else explains (a known synonym means the word is
    // a real word the business phrases differently).
    if (slot.alternatives.empty() && synonyms.empty()) {
      const std::string& stem = word.stems.front();
      const std::size_t max_distance = MaxTypoDistance(stem.size());
      if (max_distance > 0) {
        if (auto near = index.NearestTerm(stem, max_distance)) {
          AddAlternative(slot, near->first, near->second == 1 ? kTypoWeight1 : kTypoWeight2);
          own_idf = Idf(n, index.DocFrequency(near->first));
        }
      }
    }
    if (!slot.alternatives.empty()) slot.label = index.TermText(slot.alternatives.front().term);
    for (const auto& s : synonyms) AddAlternative(slot, s.term, s.weight);
    double idf = own_idf > 0 ? own_idf : synonym_idf > 0 ? synonym_idf : unknown_idf;
    slot.importance = slot.generic ? idf * kGenericImportance : idf;
    slots.push_back(std::move(slot));
  }
  return slots;
}

}  // namespace milkyhoop::rag
