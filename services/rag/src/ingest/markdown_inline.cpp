#include "markdown_inline.hpp"

#include <algorithm>
#include <cctype>

namespace milkyhoop::rag::ingest {
namespace {

// Searches for closing brackets and backticks look this far at most, so a line full of
// unmatched '[' stays linear rather than quadratic.
constexpr std::size_t kMaxLinkText = 1000;
constexpr std::size_t kMaxLinkTarget = 2000;
constexpr std::size_t kMaxCodeSpan = 4000;
constexpr std::size_t kMaxTag = 500;
constexpr int kMaxNesting = 4;

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsPunct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

// Index of the bracket closing the one at `open` (nesting counted, escapes skipped), or npos.
std::size_t MatchBracket(std::string_view s, std::size_t open, char opening, char closing,
                         std::size_t max_len) {
  int depth = 0;
  const std::size_t end = std::min(s.size(), open + max_len);
  for (std::size_t i = open; i < end; ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == opening) {
      ++depth;
    } else if (s[i] == closing && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

void Strip(std::string_view s, std::string& out, int nesting);

// A link or image whose '[' is at `open`: appends its text and returns the index after it, or
// npos when this is not a link.
std::size_t TryLink(std::string_view s, std::size_t open, std::string& out, int nesting) {
  const std::size_t close = MatchBracket(s, open, '[', ']', kMaxLinkText);
  if (close == std::string_view::npos || close + 1 >= s.size()) return std::string_view::npos;
  std::size_t after;
  if (s[close + 1] == '(') {
    after = MatchBracket(s, close + 1, '(', ')', kMaxLinkTarget);
  } else if (s[close + 1] == '[') {
    after = MatchBracket(s, close + 1, '[', ']', kMaxLinkText);
  } else {
    return std::string_view::npos;
  }
  if (after == std::string_view::npos) return std::string_view::npos;
  Strip(s.substr(open + 1, close - open - 1), out, nesting + 1);
  return after + 1;
}

// An autolink (<https://…>), inline tag (<b>, </span>) or comment at `open`; appends what stays
// and returns the index after it, or npos when the '<' is plain text ("< 5 kg").
std::size_t TryAngle(std::string_view s, std::size_t open, std::string& out) {
  if (s.substr(open).starts_with("<!--")) {
    const std::size_t end = s.find("-->", open + 4);
    return end == std::string_view::npos ? s.size() : end + 3;
  }
  if (open + 1 >= s.size()) return std::string_view::npos;
  const char next = s[open + 1];
  if (!std::isalpha(static_cast<unsigned char>(next)) && next != '/') {
    return std::string_view::npos;
  }
  const std::size_t close = s.substr(0, std::min(s.size(), open + kMaxTag)).find('>', open);
  if (close == std::string_view::npos) return std::string_view::npos;
  const std::string_view inner = s.substr(open + 1, close - open - 1);
  if (inner.find('<') != std::string_view::npos) return std::string_view::npos;
  const std::size_t colon = inner.find(':');
  if ((colon != std::string_view::npos && inner.find(' ') == std::string_view::npos) ||
      (inner.find('@') != std::string_view::npos && inner.find(' ') == std::string_view::npos)) {
    out.append(inner);  // an autolink: the address is the text
  }
  return close + 1;
}

void Strip(std::string_view s, std::string& out, int nesting) {
  if (nesting > kMaxNesting) {
    out.append(s);
    return;
  }
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && IsPunct(s[i + 1])) {
      out.push_back(s[i + 1]);
      i += 2;
      continue;
    }
    if (c == '`') {
      std::size_t run = 1;
      while (i + run < s.size() && s[i + run] == '`') ++run;
      const std::string_view fence = s.substr(i, run);
      const std::string_view window = s.substr(0, std::min(s.size(), i + run + kMaxCodeSpan));
      std::size_t close = window.find(fence, i + run);
      while (close != std::string_view::npos && close + run < s.size() && s[close + run] == '`') {
        close = window.find(fence, close + run + 1);
      }
      if (close == std::string_view::npos) {
        out.append(fence);
      } else {
        out.append(s.substr(i + run, close - i - run));
        run = close + run - i;
      }
      i += run;
      continue;
    }
    if (c == '[' || (c == '!' && i + 1 < s.size() && s[i + 1] == '[')) {
      const std::size_t open = c == '!' ? i + 1 : i;
      const std::size_t after = TryLink(s, open, out, nesting);
      if (after != std::string_view::npos) {
        i = after;
        continue;
      }
    }
    if (c == '<') {
      const std::size_t after = TryAngle(s, i, out);
      if (after != std::string_view::npos) {
        i = after;
        continue;
      }
    }
    if (c == '*' || c == '_' || c == '~') {
      std::size_t run = 1;
      while (i + run < s.size() && s[i + run] == c) ++run;
      const char left = i > 0 ? s[i - 1] : ' ';
      const char right = i + run < s.size() ? s[i + run] : ' ';
      // Emphasis opens before a word or closes after one; between two letters or digits it is
      // text ("5*3", "snake_case"), as it is with space on both sides ("a * b").
      const bool opens = !IsAsciiSpace(right) && (IsAsciiSpace(left) || IsPunct(left));
      const bool closes = !IsAsciiSpace(left) && (IsAsciiSpace(right) || IsPunct(right));
      const bool markup =
          (opens || closes) && !(IsAlnum(left) && IsAlnum(right)) && (c != '~' || run >= 2);
      if (!markup) out.append(s.substr(i, run));
      i += run;
      continue;
    }
    out.push_back(c);
    ++i;
  }
}

}  // namespace

std::string StripMarkdownInline(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  Strip(line, out, 0);
  return out;
}

}  // namespace milkyhoop::rag::ingest
