#include <cctype>
#include <string>

#include "extractors.hpp"
#include "markdown_inline.hpp"

namespace milkyhoop::rag::ingest {
namespace {

// How far a line is indented (a tab counts to the next multiple of 4) and the rest of it.
std::pair<std::size_t, std::string_view> SplitIndent(std::string_view line) {
  std::size_t width = 0;
  std::size_t i = 0;
  for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i) {
    width = line[i] == '\t' ? (width / 4 + 1) * 4 : width + 1;
  }
  return {width, line.substr(i)};
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t RunOf(std::string_view s, char c) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == c) ++n;
  return n;
}

// "---", "* * *", "___": three or more of one of -*_ and nothing else but spaces.
bool IsThematicBreak(std::string_view t) {
  if (t.empty() || (t[0] != '-' && t[0] != '*' && t[0] != '_')) return false;
  std::size_t marks = 0;
  for (const char c : t) {
    if (c == t[0]) {
      ++marks;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return marks >= 3;
}

// "|---|:--:|", "--- | ---": the line under a table's header.
bool IsTableSeparator(std::string_view t) {
  if (t.find('|') == std::string_view::npos || t.find('-') == std::string_view::npos) {
    return false;
  }
  return t.find_first_not_of("|-: \t") == std::string_view::npos;
}

// "[id]: https://…" defines a link target: nothing a reader sees.
bool IsReferenceDefinition(std::string_view t) {
  if (!t.starts_with('[')) return false;
  const std::size_t close = t.find("]:");
  return close != std::string_view::npos && close > 1;
}

// The content of a list item ("- x", "* x", "+ x", "12. x", "3) x"), or npos when not one.
std::size_t ListItemContent(std::string_view t) {
  std::size_t i = 0;
  if (!t.empty() && (t[0] == '-' || t[0] == '*' || t[0] == '+')) {
    i = 1;
  } else {
    while (i < t.size() && i < 9 && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == 0 || i >= t.size() || (t[i] != '.' && t[i] != ')')) return std::string_view::npos;
    ++i;
  }
  if (i < t.size() && t[i] != ' ' && t[i] != '\t') return std::string_view::npos;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  // A task list's checkbox is markup too.
  const std::string_view rest = t.substr(i);
  if (rest.starts_with("[ ] ") || rest.starts_with("[x] ") || rest.starts_with("[X] ")) i += 4;
  return i;
}

// "| a | b |" → "a | b", inline markup stripped from each cell.
std::string TableRow(std::string_view t) {
  t = TrimRight(t);
  if (t.starts_with('|')) t.remove_prefix(1);
  if (t.ends_with('|') && !t.ends_with("\\|")) t.remove_suffix(1);
  std::string row;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && t[i] == '\\') {
      ++i;
      continue;
    }
    if (i < t.size() && t[i] != '|') continue;
    std::string cell = StripMarkdownInline(t.substr(start, i - start));
    const std::size_t b = cell.find_first_not_of(" \t");
    const std::size_t e = cell.find_last_not_of(" \t");
    if (!row.empty()) row += " | ";
    if (b != std::string::npos) row.append(cell, b, e - b + 1);
    start = i + 1;
  }
  return row;
}

class MarkdownExtractor {
 public:
  explicit MarkdownExtractor(Chunker& chunker) : chunker_(chunker) {}

  Status Line(std::string_view line) {
    // Lines of the current paragraph before this one; only ParagraphLine continues the count.
    const std::size_t previous_lines = paragraph_lines_;
    paragraph_lines_ = 0;
    if (fence_len_ > 0) return FenceLine(line);
    const auto [indent, t] = SplitIndent(line);
    if (t.empty()) {
      in_table_ = false;
      MH_TRY(FlushDeferred());
      return chunker_.EndParagraph();
    }
    if (indent >= 4) return ParagraphLine(t, /*strip=*/false, previous_lines);
    const char c = t[0];
    if ((c == '`' || c == '~') && RunOf(t, c) >= 3 &&
        (c == '~' || t.find('`', RunOf(t, c)) == std::string_view::npos)) {
      MH_TRY(FlushDeferred());
      MH_TRY(chunker_.EndParagraph());
      fence_char_ = c;
      fence_len_ = RunOf(t, c);
      return Status::Ok();
    }
    if (c == '#') return MaybeAtxHeading(t, previous_lines);
    if ((c == '=' || c == '-') && has_deferred_ && previous_lines == 1 && RunOf(t, c) >= 2 &&
        TrimRight(t).size() == RunOf(t, c)) {
      // A setext underline: the single line above it is a heading.
      const std::string text = std::move(deferred_);
      deferred_.clear();
      has_deferred_ = false;
      return chunker_.Heading(c == '=' ? 1 : 2, text);
    }
    if (IsThematicBreak(t)) {
      MH_TRY(FlushDeferred());
      return chunker_.EndParagraph();
    }
    if (IsTableSeparator(t)) {
      // The line above was the header row of a table whose rows may lack the outer pipes.
      if (has_deferred_ && deferred_raw_.find('|') != std::string::npos) {
        deferred_ = TableRow(deferred_raw_);
        MH_TRY(FlushDeferred(/*as_row=*/true));
      }
      in_table_ = true;
      return Status::Ok();
    }
    if (c == '|' || (in_table_ && t.find('|') != std::string_view::npos)) {
      MH_TRY(FlushDeferred());
      MH_TRY(chunker_.LineBreak());
      MH_TRY(chunker_.Write(TableRow(t)));
      return chunker_.LineBreak();
    }
    if (IsReferenceDefinition(t)) return Status::Ok();
    if (c == '>') {
      std::string_view quoted = t;
      while (quoted.starts_with('>')) {
        quoted.remove_prefix(1);
        if (quoted.starts_with(' ')) quoted.remove_prefix(1);
      }
      if (quoted.find_first_not_of(" \t") == std::string_view::npos) {
        MH_TRY(FlushDeferred());
        return chunker_.EndParagraph();
      }
      return ParagraphLine(quoted, /*strip=*/true, previous_lines);
    }
    if (const std::size_t content = ListItemContent(t); content != std::string_view::npos) {
      MH_TRY(FlushDeferred());
      MH_TRY(chunker_.LineBreak());
      MH_TRY(chunker_.Write(StripMarkdownInline(t.substr(content))));
      return chunker_.LineBreak();
    }
    return ParagraphLine(t, /*strip=*/true, previous_lines);
  }

  Status Finish() { return FlushDeferred(); }

 private:
  Status FenceLine(std::string_view line) {
    const auto [indent, t] = SplitIndent(line);
    const std::size_t run = RunOf(t, fence_char_);
    if (indent < 4 && run >= fence_len_ && TrimRight(t).size() == run) {
      fence_len_ = 0;
      return chunker_.EndParagraph();
    }
    MH_TRY(chunker_.Write(line));
    return chunker_.LineBreak();
  }

  Status MaybeAtxHeading(std::string_view t, std::size_t previous_lines) {
    const std::size_t level = RunOf(t, '#');
    if (level > 6 || (level < t.size() && t[level] != ' ' && t[level] != '\t')) {
      return ParagraphLine(t, /*strip=*/true, previous_lines);  // "#hashtag", "#######"
    }
    std::string_view text = TrimRight(t.substr(level));
    // A closing sequence of #s ("## Harga ##") is not part of the heading.
    const std::size_t last = text.find_last_not_of('#');
    if (last == std::string_view::npos) {
      text = {};
    } else if (last + 1 < text.size() && (text[last] == ' ' || text[last] == '\t')) {
      text = text.substr(0, last);
    }
    MH_TRY(FlushDeferred());
    return chunker_.Heading(static_cast<int>(level), StripMarkdownInline(text));
  }

  // Paragraph lines go out one line late, so a setext underline can still turn the line above
  // into a heading.
  Status ParagraphLine(std::string_view t, bool strip, std::size_t previous_lines) {
    MH_TRY(FlushDeferred());
    deferred_raw_.assign(t);
    deferred_ = strip ? StripMarkdownInline(t) : std::string(t);
    has_deferred_ = true;
    paragraph_lines_ = previous_lines + 1;
    return Status::Ok();
  }

  Status FlushDeferred(bool as_row = false) {
    if (!has_deferred_) return Status::Ok();
    has_deferred_ = false;
    if (as_row) MH_TRY(chunker_.LineBreak());
    MH_TRY(chunker_.Write(deferred_));
    deferred_.clear();
    deferred_raw_.clear();
    return as_row ? chunker_.LineBreak() : chunker_.Write(" ");
  }

  Chunker& chunker_;
  char fence_char_ = 0;
  std::size_t fence_len_ = 0;  // > 0 inside a code fence
  bool in_table_ = false;
  std::string deferred_;      // the last paragraph line, markup stripped
  std::string deferred_raw_;  // the same line as written
  bool has_deferred_ = false;
  std::size_t paragraph_lines_ = 0;  // consecutive paragraph lines up to the deferred one
};

}  // namespace

Status ExtractMarkdown(std::string_view text, Chunker& chunker) {
  MarkdownExtractor extractor(chunker);
  LineReader lines(text);
  std::string_view line;
  while (lines.Next(line)) MH_TRY(extractor.Line(line));
  return extractor.Finish();
}

}  // namespace milkyhoop::rag::ingest
