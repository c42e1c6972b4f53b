#pragma once
// Bounded Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
// substitutions and transpositions of adjacent characters), for typo correction.

#include <cstddef>
#include <string_view>

namespace milkyhoop::rag {

// The distance between `a` and `b` (bytes) if it is at most `max_distance`, else
// max_distance + 1. Costs O(min(|a|,|b|) * (2 * max_distance + 1)) and stops early.
std::size_t BoundedEditDistance(std::string_view a, std::string_view b, std::size_t max_distance);

}  // namespace milkyhoop::rag
