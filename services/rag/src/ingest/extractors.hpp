#pragma once
// One extractor per format: each walks its input once, front to back, and tells the chunker
// what it finds (headings, paragraphs, line breaks), so nothing but the input is held whole.

#include <cstddef>
#include <string_view>

#include "chunker.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag::ingest {

// Paragraphs are separated by blank lines; line breaks inside one are soft.
Status ExtractPlainText(std::string_view text, Chunker& chunker);
// Headings (ATX and setext) make sections; emphasis, links and inline HTML are stripped; code
// fences, lists and tables ("a | b") keep their lines.
Status ExtractMarkdown(std::string_view text, Chunker& chunker);
// A tolerant tag stripper: script/style and the like dropped, block tags break paragraphs,
// h1–h6 make sections, table cells become "a | b", entities (named and numeric) decoded.
Status ExtractHtml(std::string_view text, Chunker& chunker);
// Each row becomes a line "header1: value1; header2: value2"; rows are streamed.
Status ExtractCsv(std::string_view text, std::size_t max_rows, Chunker& chunker);
// Page by page through poppler; kInvalidArgument for a corrupt or password-protected file.
Status ExtractPdf(std::string_view bytes, std::size_t max_pages, Chunker& chunker);

// Splits text into lines without their "\n" or "\r\n".
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}
  bool Next(std::string_view& line) {
    if (done_) return false;
    const std::size_t nl = rest_.find('\n');
    if (nl == std::string_view::npos) {
      line = rest_;
      done_ = true;
      if (line.empty()) return false;
    } else {
      line = rest_.substr(0, nl);
      rest_.remove_prefix(nl + 1);
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

 private:
  std::string_view rest_;
  bool done_ = false;
};

// True when the line has nothing but spaces and tabs.
bool IsBlankLine(std::string_view line);

}  // namespace milkyhoop::rag::ingest
