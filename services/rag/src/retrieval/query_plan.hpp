#pragma once
// A query turned into slots, one per query word: the index terms that can stand for the word
// (its stems, a typo correction, its synonyms), each with a match weight, and how much the word
// tells about the topic. Built against the index's live vocabulary.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "inverted_index.hpp"
#include "milkyhoop/rag/text_analyzer.hpp"

namespace milkyhoop::rag {

struct QueryAlternative {
  KeywordIndexImpl::TermId term;
  double weight;  // 1 for the word's own stem; less for a correction or a synonym
};

struct QuerySlot {
  std::string label;  // the term shown in KeywordSearch::terms
  std::vector<QueryAlternative> alternatives;
  double importance = 0;  // IDF of the word's own term (see SlotEvidence)
  bool generic = false;
};

// Match weights of the alternatives of a query word.
inline constexpr double kColloquialWeight = 0.9;  // "ditulisin" read as "tulis"
inline constexpr double kTypoWeight1 = 0.8;       // one edit away
inline constexpr double kTypoWeight2 = 0.6;       // two edits away
inline constexpr double kSynonymWeight = 0.7;     // "delivery" for "antar"
inline constexpr double kCompoundWeight = 0.9;    // "bedcover" read as "bed cover"
// A generic word's importance is its IDF times this.
inline constexpr double kGenericImportance = 0.2;
inline constexpr std::size_t kMaxQuerySlots = 32;

// BM25 inverse document frequency of a term in `df` of `n` entries.
double Idf(double n, double df);

// Maximum edits tolerated for a term of `length` bytes: 0 up to 3, 1 up to 7, else 2.
std::size_t MaxTypoDistance(std::size_t length);

std::vector<QuerySlot> PlanQuery(const std::vector<AnalyzedWord>& words,
                                 const TextAnalyzer& analyzer, const KeywordIndexImpl& index);

}  // namespace milkyhoop::rag
