#include "slug.hpp"

#include <algorithm>

namespace milkyhoop::org {

std::string SlugBase(std::string_view name) {
  std::string out;
  bool pending_hyphen = false;
  for (char c : name) {
    const bool lower = c >= 'a' && c <= 'z';
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (!lower && !upper && !digit) {
      pending_hyphen = !out.empty();
      continue;
    }
    if (pending_hyphen) {
      if (out.size() + 1 >= kMaxSlugBase) break;
      out += '-';
      pending_hyphen = false;
    }
    if (out.size() >= kMaxSlugBase) break;
    out += upper ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (out.empty()) out = "org";
  return out;
}

std::string PickFreeSlug(const std::string& base, const std::vector<std::string>& taken) {
  auto is_taken = [&](const std::string& s) {
    return std::find(taken.begin(), taken.end(), s) != taken.end();
  };
  if (!is_taken(base)) return base;
  // At most taken.size() + 1 candidates can be needed, so this ends.
  for (std::size_t n = 2;; ++n) {
    std::string candidate = base + "-" + std::to_string(n);
    if (!is_taken(candidate)) return candidate;
  }
}

}  // namespace milkyhoop::org
