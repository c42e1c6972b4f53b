#include "text_tokenizer.hpp"

#include <cctype>
#include <cstdint>

namespace milkyhoop::rag {
namespace {

// ASCII folding of U+00C0..U+00FF; "" marks a separator (× and ÷).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// ASCII folding of U+0100..U+017F, by ranges of the same base letter.
struct FoldRange {
  char32_t last;
  const char* ascii;
};
constexpr FoldRange kLatinExtA[] = {
    {0x105, "a"}, {0x10D, "c"},  {0x111, "d"}, {0x11B, "e"}, {0x123, "g"}, {0x127, "h"},
    {0x131, "i"}, {0x133, "ij"}, {0x135, "j"}, {0x138, "k"}, {0x142, "l"}, {0x14B, "n"},
    {0x151, "o"}, {0x153, "oe"}, {0x159, "r"}, {0x161, "s"}, {0x167, "t"}, {0x173, "u"},
    {0x175, "w"}, {0x178, "y"},  {0x17E, "z"}, {0x17F, "s"}};

// Decodes one UTF-8 code point at `pos`; returns 0xFFFFFFFF (and advances one byte) when the
// sequence is invalid.
char32_t DecodeUtf8(std::string_view s, std::size_t& pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  std::size_t len = b0 < 0x80         ? 1
                    : (b0 >> 5) == 6  ? 2
                    : (b0 >> 4) == 14 ? 3
                    : (b0 >> 3) == 30 ? 4
                                      : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return 0xFFFFFFFF;
  }
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b >> 6) != 2) {
      ++pos;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

// Appends the folded form of a word character to `out`; false when `cp` separates words.
bool AppendFolded(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') {
      out += static_cast<char>(cp - 'A' + 'a');
      return true;
    }
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      out += static_cast<char>(cp);
      return true;
    }
    return false;
  }
  if (cp < 0xC0) return false;  // Latin-1 punctuation and symbols
  if (cp < 0x100) {
    const char* a = kLatin1[cp - 0xC0];
    if (*a == '\0') return false;
    out += a;
    return true;
  }
  if (cp < 0x180) {
    for (const auto& r : kLatinExtA) {
      if (cp <= r.last) {
        out += r.ascii;
        return true;
      }
    }
  }
  // Punctuation, symbols and emoji blocks separate words; other scripts are kept as they are.
  if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFEFF ||
      cp == 0xFFFFFFFF) {
    return false;
  }
  AppendUtf8(cp, out);
  return true;
}

bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "bisaaa" -> "bisa": a letter three or more times in a row is written once.
std::string CollapseRepeats(std::string word) {
  bool has_run = false;
  for (std::size_t i = 2; i < word.size() && !has_run; ++i) {
    has_run = word[i] == word[i - 1] && word[i] == word[i - 2] && IsAsciiLetter(word[i]);
  }
  if (!has_run) return word;
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size();) {
    std::size_t j = i;
    while (j < word.size() && word[j] == word[i]) ++j;
    out.append(IsAsciiLetter(word[i]) && j - i >= 3 ? 1 : j - i, word[i]);
    i = j;
  }
  return out;
}

class WordSink {
 public:
  WordSink(std::vector<std::string>& out, std::size_t max) : out_(out), max_(max) {}
  bool full() const { return out_.size() >= max_; }
  void Add(std::string word) {
    if (!word.empty() && !full()) out_.push_back(CollapseRepeats(std::move(word)));
  }
  // A hyphenated compound, as its parts (see the header).
  void AddCompound(std::vector<std::string>& parts) {
    bool all_same = true, has_short = false;
    for (const auto& p : parts) {
      all_same = all_same && p == parts.front();
      has_short = has_short || p.size() <= 2;
    }
    if (all_same) {
      Add(std::move(parts.front()));
    } else if (has_short) {
      std::string joined;
      for (const auto& p : parts) joined += p;
      Add(std::move(joined));
    } else {
      for (auto& p : parts) Add(std::move(p));
    }
    parts.clear();
  }

 private:
  std::vector<std::string>& out_;
  std::size_t max_;
};

}  // namespace

std::vector<std::string> TokenizeText(std::string_view text, std::size_t max_words) {
  std::vector<std::string> words;
  WordSink sink(words, max_words);
  std::vector<std::string> parts;  // parts of the current hyphenated compound
  std::string current;
  std::size_t pos = 0;
  auto flush = [&](bool compound_continues) {
    if (!current.empty()) parts.push_back(std::move(current));
    current.clear();
    if (!compound_continues && !parts.empty()) sink.AddCompound(parts);
  };
  while (pos < text.size() && !sink.full()) {
    const char32_t cp = DecodeUtf8(text, pos);
    if (AppendFolded(cp, current)) continue;
    const bool next_is_word =
        pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) ||
                              static_cast<unsigned char>(text[pos]) >= 0xC0);
    if ((cp == '.' || cp == ',') && !current.empty() && IsDigit(current.back()) &&
        pos < text.size() && IsDigit(text[pos])) {
      continue;  // "15.000": the separator of a number is dropped
    }
    if ((cp == '\'' || cp == 0x2019) && !current.empty() && next_is_word) continue;  // "don't"
    if (cp == '-' && !current.empty() && next_is_word) {
      flush(true);
      continue;
    }
    flush(false);
  }
  flush(false);
  return words;
}

}  // namespace milkyhoop::rag
