#pragma once
// The tier router of MISSION.md: the confidence of the best search result, against the bot's
// thresholds, decides how a question is answered and from which sources.
//   tier 1  confidence ≥ direct and the best result is an FAQ: its answer, no LLM
//   tier 2  confidence ≥ grounded (or ≥ direct on a non-FAQ source): LLM on the top 2 sources
//   tier 3  confidence ≥ deep: LLM on the top 4 sources
//   tier 4  below deep, or nothing found: the deflection message, no sources
#include <vector>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/rag/v1/rag.pb.h"

namespace milkyhoop::chatbot {

inline constexpr int kSearchTopK = 4;

struct RoutedTurn {
  int tier = 4;
  double confidence = 0;
  std::vector<rag::v1::SearchResult> sources;  // best first
};

RoutedTurn RouteTier(const rag::v1::SearchResponse& found, const v1::Thresholds& thresholds);

// Citations of the sources, snippets cut to at most `snippet_bytes` on a character boundary.
std::vector<v1::Citation> CitationsOf(const std::vector<rag::v1::SearchResult>& sources,
                                      std::size_t snippet_bytes = 240);

}  // namespace milkyhoop::chatbot
