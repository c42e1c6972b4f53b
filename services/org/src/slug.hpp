#pragma once
// Organisation slugs: lowercase ASCII letters, digits and single hyphens, derived from the name.

#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::org {

inline constexpr std::size_t kMaxSlugBase = 40;

// "Warung Bu Sri!" → "warung-bu-sri". Characters outside ASCII letters and digits separate
// words; at most kMaxSlugBase characters; "org" when nothing is left.
std::string SlugBase(std::string_view name);

// `base` if not in `taken`, else the first free base-2, base-3, ...
std::string PickFreeSlug(const std::string& base, const std::vector<std::string>& taken);

}  // namespace milkyhoop::org
