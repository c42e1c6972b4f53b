#pragma once
// Text analysis for retrieval: turns FAQ, document and chat text into index terms, the same way
// for what is indexed and what is asked, so "jam brp buka kak?" meets "Jam berapa warung buka?".

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace milkyhoop::rag {

// One word of a text after normalisation, stop-word removal and stemming.
struct AnalyzedWord {
  std::string surface;                // the word after normalisation, before stemming
  std::vector<std::string> stems;     // its index terms: the stem first, then variants
  std::vector<std::string> synonyms;  // stems of the words of its synonym groups (query side)
  bool generic = false;               // a question word or common verb: weak evidence
};

// Immutable after construction: safe to share between threads.
// clang-format off
class TextAnalyzer {
 public:
  // Built-in Indonesian + English analyzer: lower-case, accent folding, the chat normalisation
  // table (gk/ga/gak → tidak, brp → berapa, dmn → di mana, nasgor → nasi goreng, …) and a synonym
  // table (delivery → antar, …) loaded from services/rag/data/ (embedded), stop words, Snowball
  // stemming (libstemmer: indonesian, and english for English words). Shared, immutable.
  static std::shared_ptr<const TextAnalyzer> Default();
  std::vector<std::string> Terms(std::string_view text) const;
  // clang-format on

  // The tables, as text in the formats of services/rag/data/*.txt.
  struct Tables {
    std::string_view normalization;   // "form = replacement words" per line (form: 1-2 words)
    std::string_view stopwords;       // words separated by white space
    std::string_view generic_words;   // words separated by white space
    std::string_view english_words;   // words separated by white space
    std::string_view synonyms;        // one group of words per line
    std::string_view stem_overrides;  // roots the stemmer must not cut
  };
  explicit TextAnalyzer(const Tables& tables);
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  // The words of `text` with their terms, in order (at most kMaxWords; text beyond kMaxBytes is
  // ignored). Terms() is the concatenation of their `stems`.
  std::vector<AnalyzedWord> Analyze(std::string_view text) const;
  // Stems of one already-normalised word (the stemmer with overrides and variants).
  std::vector<std::string> StemWord(std::string_view word) const;
  // Other readings of a chat word the stemmer does not know (Jakarta "-in" suffix: "ditulisin",
  // "benerin"), as stems, for a query word that matched nothing.
  std::vector<std::string> ColloquialStems(std::string_view surface) const;

  static constexpr std::size_t kMaxBytes = 1 << 20;
  static constexpr std::size_t kMaxWords = 1 << 17;

 private:
  // The words of `text` after tokenising, normalisation and stop-word removal.
  std::vector<std::string> NormalizedWords(std::string_view text) const;
  std::vector<std::string> StemUncached(std::string_view word) const;
  // Valid until the calling thread's next call.
  const std::vector<std::string>& CachedStems(std::string_view word) const;

  std::uint64_t instance_id_;  // keys the per-thread stem cache

  std::unordered_map<std::string, std::vector<std::string>> normalization_;
  std::unordered_set<std::string> pair_starts_;  // first words of two-word forms
  std::unordered_set<std::string> stopwords_;
  std::unordered_set<std::string> generic_stems_;
  std::unordered_set<std::string> english_stems_;
  std::unordered_set<std::string> protected_roots_;
  std::unordered_map<std::string, std::vector<std::string>> synonyms_by_stem_;
};

}  // namespace milkyhoop::rag
