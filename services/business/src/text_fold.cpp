#include "text_fold.hpp"

#include <cstdint>

namespace milkyhoop::business {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or returns -1 (and
// advances one byte) on an invalid sequence.
std::int32_t NextCodePoint(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = 0;
  std::int32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + len > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

// Latin-1 Supplement U+00C0..U+00FF folded to lower-case ASCII; "" for the two signs there.
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};  // F0

// Latin Extended-A U+0100..U+017F: pairs (upper, lower) of one base letter, in order.
constexpr const char kExtendedA[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

// The folded form of one code point: ASCII letters and digits lower-cased, accented Latin
// letters to their base, anything else "" (a separator).
std::string_view Fold(std::int32_t cp, char* buf) {
  if (cp >= 'A' && cp <= 'Z') {
    buf[0] = static_cast<char>(cp - 'A' + 'a');
    return {buf, 1};
  }
  if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
    buf[0] = static_cast<char>(cp);
    return {buf, 1};
  }
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    const std::size_t idx = static_cast<std::size_t>(cp - 0x100);
    if (idx < sizeof(kExtendedA) - 1) {
      buf[0] = kExtendedA[idx];
      return {buf, 1};
    }
  }
  return {};
}

}  // namespace

std::string NormalizeName(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  char buf[2];
  for (std::size_t i = 0; i < utf8.size();) {
    const std::int32_t cp = NextCodePoint(utf8, i);
    const std::string_view folded = cp < 0 ? std::string_view() : Fold(cp, buf);
    // Apostrophes join ("Bu Sari's" → "bu saris") instead of splitting a word.
    if (cp == '\'' || cp == 0x2019) continue;
    if (folded.empty()) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += folded;
  }
  return out;
}

std::string SlugFromName(std::string_view utf8, std::size_t max_len) {
  std::string slug = NormalizeName(utf8);
  for (char& c : slug) {
    if (c == ' ') c = '-';
  }
  if (slug.size() > max_len) {
    slug.resize(max_len);
    const std::size_t cut = slug.rfind('-');
    if (cut != std::string::npos && cut > 0) slug.resize(cut);
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.size() < 3) slug = slug.empty() ? "usaha" : "usaha-" + slug;
  return slug;
}

bool IsValidSlug(std::string_view slug) {
  if (slug.size() < 3 || slug.size() > 63) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  char prev = 0;
  for (char c : slug) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word && c != '-') return false;
    if (c == '-' && prev == '-') return false;
    prev = c;
  }
  return true;
}

}  // namespace milkyhoop::business
