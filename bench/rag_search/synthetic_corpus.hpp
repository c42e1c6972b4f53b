#pragma once
// A reproducible synthetic corpus for the retrieval benchmark: Indonesian-like words (built from
// Indonesian syllables), Zipf-distributed word frequencies, chunks of 40-120 words with a short
// heading, and 2-4 word queries drawn from the same distribution.

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace milkyhoop::bench {

struct CorpusOptions {
  std::size_t chunks = 100'000;
  std::size_t vocabulary = 50'000;
  double zipf_exponent = 1.0;
  std::size_t min_words = 40, max_words = 120;
  std::size_t heading_min_words = 3, heading_max_words = 6;
  // Query words skip the most frequent ranks, which act as stop words in real text.
  std::size_t query_skip_top_ranks = 50;
  std::uint64_t seed = 20240601;
};

struct Chunk {
  std::string title;
  std::string body;
};

class SyntheticCorpus {
 public:
  explicit SyntheticCorpus(const CorpusOptions& options);
  std::vector<Chunk> Chunks();                          // options.chunks chunks
  std::vector<std::string> Queries(std::size_t count);  // 2-4 words each
  const std::vector<std::string>& words() const { return words_; }

 private:
  std::size_t SampleRank();
  std::string Words(std::size_t count, std::size_t skip_top);

  CorpusOptions options_;
  std::mt19937_64 rng_;
  std::vector<std::string> words_;  // by frequency rank
  std::vector<double> cdf_;         // Zipf cumulative distribution over ranks
};

}  // namespace milkyhoop::bench
