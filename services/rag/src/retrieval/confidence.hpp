#pragma once
// The calibrated confidence that the best keyword hit answers the query, from general features
// of the match (no knowledge of any business's wording).

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

}  // namespace milkyhoop::rag
