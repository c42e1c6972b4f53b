#include "html_entities.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>

#include "normalize.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

constexpr std::size_t kMaxNameLength = 10;

const std::unordered_map<std::string_view, std::uint32_t>& NamedEntities() {
  static const std::unordered_map<std::string_view, std::uint32_t> kNamed = {
      {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},     {"nbsp", 0xA0},     {"iexcl", 0xA1},   {"cent", 0xA2},
      {"pound", 0xA3},    {"curren", 0xA4},   {"yen", 0xA5},     {"brvbar", 0xA6},
      {"sect", 0xA7},     {"uml", 0xA8},      {"copy", 0xA9},    {"ordf", 0xAA},
      {"laquo", 0xAB},    {"not", 0xAC},      {"shy", 0xAD},     {"reg", 0xAE},
      {"macr", 0xAF},     {"deg", 0xB0},      {"plusmn", 0xB1},  {"sup2", 0xB2},
      {"sup3", 0xB3},     {"acute", 0xB4},    {"micro", 0xB5},   {"para", 0xB6},
      {"middot", 0xB7},   {"cedil", 0xB8},    {"sup1", 0xB9},    {"ordm", 0xBA},
      {"raquo", 0xBB},    {"frac14", 0xBC},   {"frac12", 0xBD},  {"frac34", 0xBE},
      {"iquest", 0xBF},   {"Agrave", 0xC0},   {"Aacute", 0xC1},  {"Acirc", 0xC2},
      {"Atilde", 0xC3},   {"Auml", 0xC4},     {"Aring", 0xC5},   {"AElig", 0xC6},
      {"Ccedil", 0xC7},   {"Egrave", 0xC8},   {"Eacute", 0xC9},  {"Ecirc", 0xCA},
      {"Euml", 0xCB},     {"Igrave", 0xCC},   {"Iacute", 0xCD},  {"Icirc", 0xCE},
      {"Iuml", 0xCF},     {"ETH", 0xD0},      {"Ntilde", 0xD1},  {"Ograve", 0xD2},
      {"Oacute", 0xD3},   {"Ocirc", 0xD4},    {"Otilde", 0xD5},  {"Ouml", 0xD6},
      {"times", 0xD7},    {"Oslash", 0xD8},   {"Ugrave", 0xD9},  {"Uacute", 0xDA},
      {"Ucirc", 0xDB},    {"Uuml", 0xDC},     {"Yacute", 0xDD},  {"THORN", 0xDE},
      {"szlig", 0xDF},    {"agrave", 0xE0},   {"aacute", 0xE1},  {"acirc", 0xE2},
      {"atilde", 0xE3},   {"auml", 0xE4},     {"aring", 0xE5},   {"aelig", 0xE6},
      {"ccedil", 0xE7},   {"egrave", 0xE8},   {"eacute", 0xE9},  {"ecirc", 0xEA},
      {"euml", 0xEB},     {"igrave", 0xEC},   {"iacute", 0xED},  {"icirc", 0xEE},
      {"iuml", 0xEF},     {"eth", 0xF0},      {"ntilde", 0xF1},  {"ograve", 0xF2},
      {"oacute", 0xF3},   {"ocirc", 0xF4},    {"otilde", 0xF5},  {"ouml", 0xF6},
      {"divide", 0xF7},   {"oslash", 0xF8},   {"ugrave", 0xF9},  {"uacute", 0xFA},
      {"ucirc", 0xFB},    {"uuml", 0xFC},     {"yacute", 0xFD},  {"thorn", 0xFE},
      {"yuml", 0xFF},     {"OElig", 0x152},   {"oelig", 0x153},  {"Scaron", 0x160},
      {"scaron", 0x161},  {"Yuml", 0x178},    {"fnof", 0x192},   {"circ", 0x2C6},
      {"tilde", 0x2DC},   {"ensp", 0x2002},   {"emsp", 0x2003},  {"thinsp", 0x2009},
      {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},   {"rlm", 0x200F},
      {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
      {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"bdquo", 0x201E},
      {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},  {"hellip", 0x2026},
      {"permil", 0x2030}, {"prime", 0x2032},  {"Prime", 0x2033}, {"lsaquo", 0x2039},
      {"rsaquo", 0x203A}, {"oline", 0x203E},  {"euro", 0x20AC},  {"trade", 0x2122},
      {"larr", 0x2190},   {"uarr", 0x2191},   {"rarr", 0x2192},  {"darr", 0x2193},
      {"harr", 0x2194},   {"minus", 0x2212},  {"infin", 0x221E}, {"asymp", 0x2248},
      {"ne", 0x2260},     {"le", 0x2264},     {"ge", 0x2265},    {"hearts", 0x2665},
      {"check", 0x2713},  {"star", 0x2606},   {"starf", 0x2605}, {"phone", 0x260E},
  };
  return kNamed;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool DecodeNumeric(std::string_view s, std::size_t& i, std::string& out) {
  std::size_t j = i + 2;
  const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
  if (hex) ++j;
  const std::size_t digits_start = j;
  std::uint32_t value = 0;
  while (j < s.size() && j - digits_start < 8) {
    const char c = s[j];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      break;
    }
    value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
    ++j;
  }
  if (j == digits_start) return false;
  if (j < s.size() && s[j] == ';') {
    ++j;
  } else if (j < s.size() && IsAsciiAlnum(s[j])) {
    return false;
  }
  // As browsers do: C1 controls are Windows-1252, the impossible ones the replacement character.
  if (value >= 0x80 && value < 0xA0) value = Cp1252ToUnicode(static_cast<unsigned char>(value));
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) value = 0xFFFD;
  AppendUtf8(out, value);
  i = j;
  return true;
}

}  // namespace

bool DecodeHtmlEntity(std::string_view s, std::size_t& i, std::string& out) {
  if (i + 1 >= s.size()) return false;
  if (s[i + 1] == '#') return DecodeNumeric(s, i, out);
  std::size_t j = i + 1;
  while (j < s.size() && j - i <= kMaxNameLength && IsAsciiAlnum(s[j])) ++j;
  if (j >= s.size() || s[j] != ';') return false;
  const auto it = NamedEntities().find(s.substr(i + 1, j - i - 1));
  if (it == NamedEntities().end()) return false;
  AppendUtf8(out, it->second);
  i = j + 1;
  return true;
}

}  // namespace milkyhoop::rag::ingest
