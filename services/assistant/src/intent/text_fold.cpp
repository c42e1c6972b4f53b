#include "text_fold.hpp"

#include <cstdint>

namespace milkyhoop::assistant::intent_internal {
namespace {

// Base letters of U+00C0..U+00FF and U+0100..U+017F; ' ' for the two signs among them (× ÷).
constexpr std::string_view kLatin1Fold =
    "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty";
constexpr std::string_view kLatinExtAFold =
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "iiiijjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oooorrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";
static_assert(kLatin1Fold.size() == 0x40 && kLatinExtAFold.size() == 0x80);

// Decodes one UTF-8 sequence at text[i] and advances i; -1 (one byte consumed) when invalid,
// overlong or a surrogate.
std::int32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (i + static_cast<std::size_t>(len) > text.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

// Emoji, pictographs, punctuation and symbols: word boundaries, never parts of a word.
bool IsSymbolOrSpace(std::int32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
         (cp >= 0xE0000 && cp <= 0xE007F) || cp == 0x061F || cp == 0x060C || cp == 0xFFFD;
}

void AppendUtf8(std::string& out, std::int32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string FoldForParsing(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::int32_t cp = NextCodePoint(text, i);
    if (cp < 0) {
      out.push_back(' ');
    } else if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') {
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if (cp < 0x20 || cp == 0x7F) {
        out.push_back(' ');
      } else {
        out.push_back(c);
      }
    } else if (cp == 0x2018 || cp == 0x2019) {
      out.push_back('\'');
    } else if (cp >= 0xC0 && cp <= 0xFF) {
      out.push_back(kLatin1Fold[static_cast<std::size_t>(cp - 0xC0)]);
    } else if (cp >= 0x100 && cp <= 0x17F) {
      out.push_back(kLatinExtAFold[static_cast<std::size_t>(cp - 0x100)]);
    } else if (IsSymbolOrSpace(cp)) {
      out.push_back(' ');
    } else {
      AppendUtf8(out, cp);
    }
  }
  return out;
}

std::size_t CountCodePoints(std::string_view text, std::size_t limit) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++count > limit) break;
  }
  return count;
}

}  // namespace milkyhoop::assistant::intent_internal
