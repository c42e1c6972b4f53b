#include "edit_distance.hpp"

#include <algorithm>
#include <array>

namespace milkyhoop::rag {

std::size_t BoundedEditDistance(std::string_view a, std::string_view b, std::size_t max_distance) {
  const std::size_t over = max_distance + 1;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > max_distance) return over;
  constexpr std::size_t kMaxLength = 64;  // longer terms are compared on their first 64 bytes
  a = a.substr(0, std::min(a.size(), kMaxLength));
  b = b.substr(0, std::min(b.size(), kMaxLength));
  // Three rows of the dynamic programme: two back (for transpositions), previous, current.
  std::array<std::size_t, kMaxLength + 1> two_back{}, prev{}, cur{};
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    // Cells farther than max_distance from the diagonal cannot be within the bound.
    const std::size_t lo = i > max_distance ? i - max_distance : 1;
    const std::size_t hi = std::min(b.size(), i + max_distance);
    if (lo > 1) cur[lo - 1] = over;
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, two_back[j - 2] + 1);
      }
      cur[j] = std::min(d, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < b.size()) cur[hi + 1] = over;
    if (row_min > max_distance) return over;
    two_back = prev;
    prev = cur;
  }
  return std::min(prev[b.size()], over);
}

}  // namespace milkyhoop::rag
