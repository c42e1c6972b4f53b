#include "milkyhoop/rag/ingest.hpp"

#include <algorithm>

#include "chunker.hpp"
#include "extractors.hpp"
#include "text_input.hpp"

namespace milkyhoop::rag {

Result<std::size_t> IngestDocument(DocumentFormat format, std::string_view bytes,
                                   const IngestLimits& limits, const ChunkOptions& chunking,
                                   const std::function<Status(Chunk&&)>& sink) {
  if (bytes.size() > limits.max_input_bytes) {
    return ResourceExhausted("document is " + std::to_string(bytes.size()) +
                             " bytes; the limit is " + std::to_string(limits.max_input_bytes));
  }
  ingest::ChunkerOptions options;
  options.max_chars = chunking.max_chars;
  options.overlap_chars = chunking.overlap_chars;
  options.max_text_bytes = limits.max_text_bytes;
  options.max_chunks = limits.max_chunks;
  // Capped so that a "no limit" value like milliseconds::max() cannot overflow the clock.
  options.deadline =
      std::chrono::steady_clock::now() +
      std::min<std::chrono::milliseconds>(limits.max_duration, std::chrono::hours(24));
  if (format == DocumentFormat::kCsv) {
    // Rows are independent records: one per line, and no overlap (a neighbour's half row
    // would attach another product's price to this chunk).
    options.paragraph_separator = "\n";
    options.overlap_chars = 0;
  }
  MH_TRY(ingest::Chunker::CheckOptions(options));
  ingest::Chunker chunker(options, sink);

  if (format == DocumentFormat::kPdf) {
    MH_TRY(ingest::ExtractPdf(bytes, limits.max_pdf_pages, chunker));
  } else {
    MH_ASSIGN_OR_RETURN(const ingest::TextInput input, ingest::TextInput::Prepare(bytes));
    switch (format) {
      case DocumentFormat::kText:
        MH_TRY(ingest::ExtractPlainText(input.text(), chunker));
        break;
      case DocumentFormat::kMarkdown:
        MH_TRY(ingest::ExtractMarkdown(input.text(), chunker));
        break;
      case DocumentFormat::kHtml:
        MH_TRY(ingest::ExtractHtml(input.text(), chunker));
        break;
      case DocumentFormat::kCsv:
        MH_TRY(ingest::ExtractCsv(input.text(), limits.max_csv_rows, chunker));
        break;
      case DocumentFormat::kPdf:
        break;
    }
  }
  MH_TRY(chunker.Finish());
  if (chunker.chunk_count() == 0) return InvalidArgument("document contains no text");
  return chunker.chunk_count();
}

}  // namespace milkyhoop::rag
