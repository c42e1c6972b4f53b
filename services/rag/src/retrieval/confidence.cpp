#include "confidence.hpp"

#include <algorithm>
#include <cmath>

namespace milkyhoop::rag {

double KeywordConfidence(std::span<const SlotEvidence> slots, double top_score,
                         double second_score) {
  double total = 0, covered = 0, informative = 0;
  for (const auto& s : slots) {
    const double importance = std::max(0.0, s.importance);
    const double match = std::clamp(s.match, 0.0, 1.0);
    total += importance;
    covered += importance * match;
    if (!s.generic) informative += importance * match;
  }
  if (total <= 0 || covered <= 0 || top_score <= 0) return 0;
  const double coverage = std::clamp(covered / total, 0.0, 1.0);
  if (informative <= 0) return kGenericOnlyCap * coverage;
  const double margin = std::clamp((top_score - std::max(0.0, second_score)) / top_score, 0.0, 1.0);
  const double confidence =
      std::pow(coverage, kCoveragePower) * (1.0 - kMarginWeight * (1.0 - margin));
  return std::isfinite(confidence) ? std::clamp(confidence, 0.0, 1.0) : 0.0;
}

}  // namespace milkyhoop::rag
