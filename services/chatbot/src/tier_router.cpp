#include "tier_router.hpp"

#include <algorithm>

#include "answer_text.hpp"

namespace milkyhoop::chatbot {

RoutedTurn RouteTier(const rag::v1::SearchResponse& found, const v1::Thresholds& thresholds) {
  RoutedTurn out;
  out.confidence = std::clamp(found.confidence(), 0.0, 1.0);
  if (found.results().empty()) {
    out.confidence = 0;
    return out;
  }
  const auto take = [&](int n) {
    const int count = std::min(n, found.results_size());
    out.sources.assign(found.results().begin(), found.results().begin() + count);
  };
  const bool best_is_faq = found.results(0).source_type() == "faq";
  if (out.confidence >= thresholds.direct() && best_is_faq) {
    out.tier = 1;
    take(1);
  } else if (out.confidence >= thresholds.grounded()) {
    out.tier = 2;
    take(2);
  } else if (out.confidence >= thresholds.deep()) {
    out.tier = 3;
    take(4);
  }
  return out;
}

std::vector<v1::Citation> CitationsOf(const std::vector<rag::v1::SearchResult>& sources,
                                      std::size_t snippet_bytes) {
  std::vector<v1::Citation> out;
  out.reserve(sources.size());
  for (const auto& s : sources) {
    v1::Citation c;
    c.set_source_type(s.source_type());
    c.set_source_id(s.source_id());
    c.set_title(s.title());
    c.set_snippet(TruncateUtf8(s.text(), snippet_bytes));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace milkyhoop::chatbot
