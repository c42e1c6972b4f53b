#pragma once
// The calibrated confidences that the best keyword hit, and the best vector hit, answer the query,
// from general features of the match (no knowledge of any business's wording, nor of the
// embedding model's similarity scale).

#include <cstddef>
#include <limits>
#include <span>

namespace milkyhoop::rag {

// What one query word contributes, seen from the best entry.
struct SlotEvidence {
  double importance = 0;  // how informative the word is: its IDF (an unknown word counts as
                          // rare as the rarest indexed one), discounted for generic words
  bool generic = false;   // question word or common verb (generic_words.txt)
  double match = 0;       // 0 absent from the entry; else the match weight (exact 1, synonym
                          // or typo less) times the field factor (title 1, body only less)
};

// Confidence in [0, 1]:
//   coverage C = Σ importance·match / Σ importance   (share of the query's information the
//                                                     best entry covers)
//   margin   M = (s1 − s2) / s1                      (lead of the best score over the second)
//   confidence = C^kCoveragePower · (1 − kMarginWeight · (1 − M))
// and when no informative (non-generic) word matches: at most kGenericOnlyCap · C, below the
// tier-4 threshold, because "bisa gak?" matching "Apakah bisa …" says nothing about the topic.
double KeywordConfidence(std::span<const SlotEvidence> slots, double top_score,
                         double second_score);

inline constexpr double kCoveragePower = 1.0;
inline constexpr double kMarginWeight = 0.25;
inline constexpr double kGenericOnlyCap = 0.25;

// Vector confidence. A raw cosine similarity says little by itself: its scale is the model's
// (multilingual-e5-small scores any two short Indonesian texts 0.75-0.87, OpenAI's models
// unrelated texts near 0.1), so fixed bounds suit one model and mislead with another. What is
// model-agnostic is how far the best passage stands out from the query's similarity to the rest
// of the business's passages: a question one passage answers lifts that passage clear of the
// others; an off-topic question ("cuaca besok?") is about as (dis)similar to all of them, and its
// best passage is merely the largest of n draws from one distribution.
//
// The baseline: mean and standard deviation of the similarities other than the best one (the
// query's own sample, so each business and query is calibrated against itself), and the lead
// (in those standard deviations) that the largest of n passages reaches by chance with
// probability kChanceLevel when none stands out.
struct SimilarityBaseline {
  std::size_t passages = 0;  // n: the best one and the rest sampled
  double mean = 0;           // of the rest
  double stdev = 0;          // of the rest (sample standard deviation)
  double chance = std::numeric_limits<double>::infinity();  // +∞: too few passages to judge
};
// `similarities` sorted best first (as vector search returns them); the first is left out.
// Fewer than kMinBaselinePassages besides the best: no spread worth the name, chance stays +∞.
SimilarityBaseline BaselineOf(std::span<const double> similarities);

// How many standard deviations `similarity` stands above the rest's mean beyond `chance`
// (−∞ without a baseline). Chance is a Student-t quantile, Bonferroni-corrected for n passages
// (a Grubbs outlier test): a small business's few similarities give a noisy spread, so the t
// tail demands a larger lead of it; a large one has more draws to produce a lead by chance.
double SimilarityExcess(double similarity, const SimilarityBaseline& baseline);

// Confidence in [0, 1]: 0 up to the chance level, 1 from kExcessFull standard deviations beyond
// it, linear between. Measured with multilingual-e5-small (our own examples, not the eval sets):
// paraphrases sharing no word with their FAQ stand 3-12 beyond chance; off-topic questions below
// it, up to about 0.6 ("cuaca besok?" asked of a workshop whose FAQs list opening days).
double VectorConfidence(double similarity, const SimilarityBaseline& baseline);

inline constexpr std::size_t kMinBaselinePassages = 3;
inline constexpr double kChanceLevel = 0.05;
inline constexpr double kExcessFull = 4.0;
// A floor on the rest's spread: identical similarities (duplicate passages) must not make any
// difference look infinitely significant. Cosine similarities carry float precision (~1e-7).
inline constexpr double kMinSpread = 1e-4;

}  // namespace milkyhoop::rag
