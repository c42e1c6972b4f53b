#include "extractors.hpp"

namespace milkyhoop::rag::ingest {

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

Status ExtractPlainText(std::string_view text, Chunker& chunker) {
  LineReader lines(text);
  std::string_view line;
  while (lines.Next(line)) {
    if (IsBlankLine(line)) {
      MH_TRY(chunker.EndParagraph());
      continue;
    }
    MH_TRY(chunker.Write(line));
    MH_TRY(chunker.Write(" "));  // a soft line break: the lines of a paragraph join with a space
  }
  return Status::Ok();
}

}  // namespace milkyhoop::rag::ingest
