#include "milkyhoop/assistant/product_match.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "lexicon.hpp"
#include "text_fold.hpp"

namespace milkyhoop::assistant {
namespace {

using intent_internal::TheLexicon;

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxTokens = 12;
constexpr std::size_t kMaxTokenBytes = 40;
constexpr std::size_t kMaxCandidates = 5;
constexpr int kNoMatch = 1000;

// Lower-case, accent-free words of a name: "Kaos Polos, Hitam!" → {kaos, polos, hitam}.
std::vector<std::string> NameTokens(std::string_view name) {
  const std::string folded = intent_internal::FoldForParsing(name.substr(0, kMaxNameBytes));
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && tokens.size() < kMaxTokens) {
      // "kue-kue" (Indonesian plural by repetition) is "kue".
      const std::size_t dash = current.find('-');
      if (dash != std::string::npos && current.substr(0, dash) == current.substr(dash + 1)) {
        current.resize(dash);
      }
      tokens.push_back(current.substr(0, kMaxTokenBytes));
    }
    current.clear();
  };
  for (const char c : folded) {
    const bool word_byte = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                           (static_cast<unsigned char>(c) & 0x80) != 0;
    if (word_byte) {
      current.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

// English plural to singular, roughly: "donuts" → "donut", "boxes" → "box", "berries" → "berry".
std::string Singular(const std::string& w) {
  if (w.size() > 4 && w.ends_with("ies")) return w.substr(0, w.size() - 3) + "y";
  if (w.size() > 4 &&
      (w.ends_with("ses") || w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes"))) {
    return w.substr(0, w.size() - 2);
  }
  if (w.size() > 3 && w.ends_with('s') && !w.ends_with("ss")) return w.substr(0, w.size() - 1);
  return w;
}

// Optimal string alignment distance (edits and adjacent swaps), giving up above `limit`.
int EditDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::array<std::array<int, kMaxTokenBytes + 1>, kMaxTokenBytes + 1> d{};
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = limit + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return limit + 1;
  }
  return d[n][m];
}

// Typos tolerated for a word of this length: none for short words, where one edit makes another
// word ("teh"/"tas"), one up to seven letters, two beyond.
int TypoBudget(std::size_t length) { return length <= 3 ? 0 : length <= 7 ? 1 : 2; }

// Cost of matching the spoken word to the catalogue word: 0 same (or plural/synonym), the number
// of typos within budget, or kNoMatch.
int WordCost(const std::string& spoken, const std::string& catalogue) {
  if (spoken == catalogue || Singular(spoken) == Singular(catalogue)) return 0;
  if (const auto* synonyms = TheLexicon().ProductSynonyms(spoken)) {
    if (std::find(synonyms->begin(), synonyms->end(), catalogue) != synonyms->end()) return 0;
  }
  const int budget = TypoBudget(std::min(spoken.size(), catalogue.size()));
  if (budget == 0) return kNoMatch;
  const int d = EditDistance(spoken, catalogue, budget);
  return d <= budget ? d : kNoMatch;
}

struct Scored {
  std::size_t index = 0;
  int typos = 0;          // total typo cost of the matched words
  std::size_t extra = 0;  // catalogue words the owner did not say
};

// Every word of `needles` matched to a distinct word of `haystack`; total cost or kNoMatch.
int ContainmentCost(const std::vector<std::string>& needles,
                    const std::vector<std::string>& haystack) {
  std::vector<bool> used(haystack.size(), false);
  int total = 0;
  for (const std::string& needle : needles) {
    int best = kNoMatch;
    std::size_t best_at = 0;
    for (std::size_t k = 0; k < haystack.size(); ++k) {
      if (used[k]) continue;
      const int cost = WordCost(needle, haystack[k]);
      if (cost < best) best = cost, best_at = k;
    }
    if (best == kNoMatch) return kNoMatch;
    used[best_at] = true;
    total += best;
  }
  return total;
}

ProductMatch Pick(const std::vector<Scored>& scored, const std::vector<CatalogueProduct>& catalogue,
                  ProductMatch::Kind single_kind) {
  ProductMatch match;
  if (scored.empty()) return match;
  if (scored.size() == 1) {
    match.kind = single_kind;
    match.candidates.push_back(catalogue[scored[0].index]);
    return match;
  }
  match.kind = ProductMatch::Kind::kAmbiguous;
  for (std::size_t i = 0; i < scored.size() && i < kMaxCandidates; ++i) {
    match.candidates.push_back(catalogue[scored[i].index]);
  }
  return match;
}

}  // namespace

ProductMatch MatchProduct(std::string_view spoken, const std::vector<CatalogueProduct>& catalogue) {
  const std::vector<std::string> words = NameTokens(spoken);
  if (words.empty()) return {};
  std::vector<std::vector<std::string>> names;
  names.reserve(catalogue.size());
  for (const CatalogueProduct& product : catalogue) names.push_back(NameTokens(product.name));

  // 1. The same name, up to case, accents and punctuation.
  std::vector<Scored> exact;
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (names[i] == words) exact.push_back({i, 0, 0});
  }
  if (!exact.empty()) return Pick(exact, catalogue, ProductMatch::Kind::kExact);

  // 2. Every spoken word in the catalogue name ("kaos" in "Kaos Polos Hitam"); failing that,
  //    every catalogue word in what was said ("kaos polos hitam xl" for "Kaos Polos Hitam").
  std::vector<Scored> scored;
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    const int typos = ContainmentCost(words, names[i]);
    if (typos != kNoMatch) scored.push_back({i, typos, names[i].size() - words.size()});
  }
  if (scored.empty()) {
    for (std::size_t i = 0; i < catalogue.size(); ++i) {
      if (names[i].empty()) continue;
      const int typos = ContainmentCost(names[i], words);
      if (typos != kNoMatch) scored.push_back({i, typos, words.size() - names[i].size()});
    }
  }
  if (scored.empty()) return {};
  // Fewer typos first; then names that say no more than the owner did; then by name.
  std::stable_sort(scored.begin(), scored.end(), [&](const Scored& a, const Scored& b) {
    if (a.typos != b.typos) return a.typos < b.typos;
    if (a.extra != b.extra) return a.extra < b.extra;
    return catalogue[a.index].name < catalogue[b.index].name;
  });
  // A candidate that is strictly best (fewer typos, or the only one with nothing extra) stands.
  const bool strictly_best =
      scored.size() == 1 || scored[0].typos < scored[1].typos ||
      (scored[0].extra == 0 && scored[1].extra > 0 && scored[0].typos == scored[1].typos);
  if (strictly_best) return Pick({scored[0]}, catalogue, ProductMatch::Kind::kUnique);
  return Pick(scored, catalogue, ProductMatch::Kind::kUnique);
}

}  // namespace milkyhoop::assistant
