#include "synthetic_corpus.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace milkyhoop::bench {
namespace {

// Onsets and vowels of Indonesian syllables; some syllables close with a consonant.
constexpr const char* kOnsets[] = {"b", "c", "d", "g", "h", "j",  "k",  "l", "m",  "n",  "p",
                                   "r", "s", "t", "w", "y", "ng", "ny", "",  "kr", "tr", "pr"};
constexpr const char* kVowels[] = {"a", "a", "i", "u", "e", "o", "a", "i"};
constexpr const char* kCodas[] = {"", "", "", "n", "ng", "k", "r", "l", "s", "t", "h", "m"};

}  // namespace

SyntheticCorpus::SyntheticCorpus(const CorpusOptions& options)
    : options_(options), rng_(options.seed) {
  std::unordered_set<std::string> seen;
  std::uniform_int_distribution<int> syllables(2, 4);
  auto pick = [&](const auto& table) {
    return table[std::uniform_int_distribution<std::size_t>(0, std::size(table) - 1)(rng_)];
  };
  while (words_.size() < options_.vocabulary) {
    std::string w;
    const int n = syllables(rng_);
    for (int s = 0; s < n; ++s) {
      w += pick(kOnsets);
      w += pick(kVowels);
      if (s == n - 1 || rng_() % 4 == 0) w += pick(kCodas);
    }
    if (w.size() >= 3 && seen.insert(w).second) words_.push_back(std::move(w));
  }
  cdf_.resize(words_.size());
  double total = 0;
  for (std::size_t r = 0; r < words_.size(); ++r) {
    total += 1.0 / std::pow(static_cast<double>(r + 1), options_.zipf_exponent);
    cdf_[r] = total;
  }
  for (auto& c : cdf_) c /= total;
}

std::size_t SyntheticCorpus::SampleRank() {
  const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
  return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
}

std::string SyntheticCorpus::Words(std::size_t count, std::size_t skip_top) {
  std::string out;
  for (std::size_t i = 0; i < count;) {
    const std::size_t r = std::min(SampleRank(), words_.size() - 1);
    if (r < skip_top) continue;
    if (!out.empty()) out += ' ';
    out += words_[r];
    ++i;
  }
  return out;
}

std::vector<Chunk> SyntheticCorpus::Chunks() {
  std::vector<Chunk> chunks;
  chunks.reserve(options_.chunks);
  std::uniform_int_distribution<std::size_t> body_len(options_.min_words, options_.max_words);
  std::uniform_int_distribution<std::size_t> title_len(options_.heading_min_words,
                                                       options_.heading_max_words);
  for (std::size_t i = 0; i < options_.chunks; ++i) {
    Chunk c;
    c.title = Words(title_len(rng_), 0);
    c.body = Words(body_len(rng_), 0);
    chunks.push_back(std::move(c));
  }
  return chunks;
}

std::vector<std::string> SyntheticCorpus::Queries(std::size_t count) {
  std::vector<std::string> queries;
  std::uniform_int_distribution<std::size_t> words(2, 4);
  for (std::size_t i = 0; i < count; ++i) {
    queries.push_back(Words(words(rng_), options_.query_skip_top_ranks));
  }
  return queries;
}

}  // namespace milkyhoop::bench
