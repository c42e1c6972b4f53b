#include "normalize.hpp"

#include <array>

#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

constexpr std::array<std::uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,   // 80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,        // 88
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,   // 90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};  // 98

// Combining mark → the letters it composes with and their precomposed forms (Latin-1 only:
// what Indonesian and the European loanwords in menus and price lists need).
struct Composition {
  std::uint32_t mark;
  std::string_view bases;
  std::array<std::uint8_t, 12> composed;
};
constexpr std::array<Composition, 7> kCompositions = {{
    {0x0300, "AEIOUaeiou", {0xC0, 0xC8, 0xCC, 0xD2, 0xD9, 0xE0, 0xE8, 0xEC, 0xF2, 0xF9}},
    {0x0301,
     "AEIOUYaeiouy",
     {0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xDD, 0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xFD}},
    {0x0302, "AEIOUaeiou", {0xC2, 0xCA, 0xCE, 0xD4, 0xDB, 0xE2, 0xEA, 0xEE, 0xF4, 0xFB}},
    {0x0303, "ANOano", {0xC3, 0xD1, 0xD5, 0xE3, 0xF1, 0xF5}},
    {0x0308, "AEIOUaeiouy", {0xC4, 0xCB, 0xCF, 0xD6, 0xDC, 0xE4, 0xEB, 0xEF, 0xF6, 0xFC, 0xFF}},
    {0x030A, "Aa", {0xC5, 0xE5}},
    {0x0327, "Cc", {0xC7, 0xE7}},
}};

enum class Kind { kKeep, kSpace, kDrop };

Kind Classify(std::uint32_t cp) {
  if (cp == ' ' || (cp >= '\t' && cp <= '\r')) return Kind::kSpace;
  if (cp < 0x20 || cp == 0x7F) return Kind::kDrop;
  if (cp < 0x80) return Kind::kKeep;
  if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return Kind::kSpace;
  }
  if (cp < 0xA0 || cp == 0xAD || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
      (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF ||
      (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF) {
    return Kind::kDrop;
  }
  return Kind::kKeep;
}

std::string_view Ligature(std::uint32_t cp) {
  switch (cp) {
    case 0xFB00:
      return "ff";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    case 0xFB03:
      return "ffi";
    case 0xFB04:
      return "ffl";
    case 0xFB05:
    case 0xFB06:
      return "st";
    default:
      return {};
  }
}

// Replaces the ASCII letter at the end of `out` by its composition with `mark`; false when there
// is none.
bool Compose(std::string& out, std::uint32_t mark) {
  if (out.empty()) return false;
  const char base = out.back();
  for (const Composition& c : kCompositions) {
    if (c.mark != mark) continue;
    const std::size_t k = c.bases.find(base);
    if (k == std::string_view::npos) return false;
    out.pop_back();
    AppendUtf8(out, c.composed[k]);
    return true;
  }
  return false;
}

void AppendSpace(std::string& out) {
  if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
}

}  // namespace

std::uint32_t Cp1252ToUnicode(unsigned char byte) {
  if (byte >= 0x80 && byte < 0xA0) return kCp1252High[byte - 0x80];
  return byte;
}

std::size_t AppendNormalized(std::string& out, std::string_view raw) {
  const std::size_t before = out.size();
  std::size_t i = 0;
  while (i < raw.size()) {
    const auto b = static_cast<unsigned char>(raw[i]);
    if (b > 0x20 && b < 0x7F) {
      // Printable ASCII runs are most of the text: copy them in one go.
      std::size_t j = i + 1;
      while (j < raw.size() && static_cast<unsigned char>(raw[j]) > 0x20 &&
             static_cast<unsigned char>(raw[j]) < 0x7F) {
        ++j;
      }
      out.append(raw.substr(i, j - i));
      i = j;
      continue;
    }
    const std::size_t start = i;
    std::int32_t decoded = DecodeUtf8(raw, i);
    std::uint32_t cp = decoded >= 0 ? static_cast<std::uint32_t>(decoded)
                                    : Cp1252ToUnicode(static_cast<unsigned char>(raw[start]));
    if (cp == 0) continue;  // NUL or an undefined Windows-1252 byte
    switch (Classify(cp)) {
      case Kind::kSpace:
        AppendSpace(out);
        continue;
      case Kind::kDrop:
        continue;
      case Kind::kKeep:
        break;
    }
    if (cp >= 0x0300 && cp <= 0x036F && Compose(out, cp)) continue;
    if (const std::string_view lig = Ligature(cp); !lig.empty()) {
      out.append(lig);
      continue;
    }
    if (decoded >= 0) {
      out.append(raw.substr(start, i - start));
    } else {
      AppendUtf8(out, cp);
    }
  }
  return out.size() - before;
}

void TrimTrailingSpace(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
}

std::string NormalizeLine(std::string_view raw) {
  std::string out;
  AppendNormalized(out, raw);
  TrimTrailingSpace(out);
  return out;
}

}  // namespace milkyhoop::rag::ingest
