#pragma once
// Document ingestion for the rag-service: format detection, text extraction (txt, markdown,
// html, pdf, csv), normalisation and chunking by headings and paragraphs. A pure library: no
// SQL, no HTTP. Chunks stream to a sink as soon as they are ready, so memory stays bounded by a
// few chunks plus the input whatever the document's size.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag {

enum class DocumentFormat { kText, kMarkdown, kHtml, kPdf, kCsv };

// From the declared media type (text/plain, text/markdown, text/html, application/pdf, text/csv;
// parameters ignored) or, when that is empty or application/octet-stream, the file name's
// extension (.txt .md .markdown .html .htm .pdf .csv). kInvalidArgument naming the type when
// unsupported (the route maps it to 415).
Result<DocumentFormat> DetectFormat(std::string_view media_type, std::string_view filename);

// "text", "markdown", "html", "pdf", "csv".
std::string_view DocumentFormatName(DocumentFormat format);

struct IngestLimits {
  std::size_t max_input_bytes = 25u << 20;  // larger → kResourceExhausted (413)
  std::size_t max_text_bytes = 16u << 20;   // extracted text cap → kResourceExhausted
  std::size_t max_pdf_pages = 2000;
  std::size_t max_csv_rows = 200'000;
  std::size_t max_chunks = 50'000;
  // Wall time for one document, checked between chunks and between PDF pages → kDeadlineExceeded.
  // (Poppler cannot be interrupted inside a page: one pathological page may overrun it.)
  std::chrono::milliseconds max_duration{120'000};
};

struct ChunkOptions {
  std::size_t max_chars = 1200;  // bounded chunk size (UTF-8 safe: never split a code point)
  std::size_t overlap_chars = 150;
};

struct Chunk {
  int ordinal = 0;      // 0, 1, 2… in document order
  std::string heading;  // nearest heading path ("Harga > Paket kiloan"), may be empty
  std::string text;     // normalised plain text (NFC-ish cleanup: whitespace collapsed,
                        // control characters removed, valid UTF-8 guaranteed)
};

// Extracts, normalises and chunks `bytes` of the given format, calling `sink` for each chunk as
// soon as it is ready (streaming: memory stays bounded by a few chunks plus the input, whatever
// the document's size). Validates content: a .txt/.md/.csv that is not valid text (NUL bytes,
// invalid UTF-8 beyond a small tolerance, e.g. a binary file renamed .txt) → kInvalidArgument
// "file is not text"; a corrupt or encrypted PDF → kInvalidArgument naming why. A sink error stops
// ingestion and is returned. Returns the number of chunks.
//
// Also: HTML is checked as text like .txt/.md/.csv; a UTF-16 file with a byte-order mark is
// converted; a PDF without %%EOF at its end is reported as truncated; a document with no text at
// all (empty file, a PDF of scanned images) → kInvalidArgument;
// characters are counted as code points; chunk text keeps paragraph breaks as "\n\n" and line
// breaks of tables, lists, code and CSV rows as "\n"; CSV chunks do not overlap (rows are
// independent records).
Result<std::size_t> IngestDocument(DocumentFormat format, std::string_view bytes,
                                   const IngestLimits& limits, const ChunkOptions& chunking,
                                   const std::function<Status(Chunk&&)>& sink);

}  // namespace milkyhoop::rag
