#include "milkyhoop/core/text_validation.hpp"

namespace milkyhoop {

// Code points of valid UTF-8 (no overlongs, no surrogates), or -1.
std::string_view FirstCodePoints(std::string_view s, std::size_t max_chars) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (seen++ == max_chars) return s.substr(0, i);
  }
  return s;
}

std::int64_t CountTextCodePoints(std::string_view s, bool multiline) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      if ((b0 < 0x20 && !(multiline && (b0 == '\n' || b0 == '\t' || b0 == '\r'))) || b0 == 0x7F) {
        return -1;
      }
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    if (cp >= 0x80 && cp <= 0x9F) return -1;  // C1 controls
    i += len;
  }
  return n;
}

Result<std::string> ValidateText(std::string_view field, std::string_view value,
                                 std::size_t max_chars, bool required, bool multiline) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) {
    if (required) return InvalidField(std::string(field), "is required");
    return std::string();
  }
  const std::int64_t n = CountTextCodePoints(value, multiline);
  if (n < 0)
    return InvalidField(std::string(field), "must be UTF-8 text without control characters");
  if (static_cast<std::size_t>(n) > max_chars) {
    return InvalidField(std::string(field),
                        "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::string(value);
}

Result<int> ValidatePageSize(std::string_view field, int limit, int default_size, int max_size) {
  if (limit == 0) return default_size;
  if (limit < 1 || limit > max_size) {
    return InvalidField(std::string(field), "must be between 1 and " + std::to_string(max_size));
  }
  return limit;
}

}  // namespace milkyhoop
