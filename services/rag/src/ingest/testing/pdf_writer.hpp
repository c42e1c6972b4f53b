#pragma once
// A minimal PDF 1.4 writer for tests: one Helvetica font, one text object per page, a correct
// cross-reference table. Enough for poppler to extract the text back, so the PDF path is tested
// without binary fixtures.

#include <string>
#include <vector>

namespace milkyhoop::rag::testing {

struct PdfOptions {
  double font_size = 10;
  double leading = 12;
  // Adds a Standard security handler whose user password is not empty: readers report the file
  // as locked.
  bool password_protected = false;
  // Writes each line as a TJ array of words with a space's width of kerning between them, as
  // typesetting programs do, instead of one string: more bytes of PDF per byte of text.
  bool kerned_words = false;
};

// Each page is a list of lines (UTF-8; characters outside Latin-1 become '?').
std::string MakePdf(const std::vector<std::vector<std::string>>& pages,
                    const PdfOptions& options = {});

}  // namespace milkyhoop::rag::testing
