#include <climits>
#include <memory>
#include <mutex>
#include <string>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include "extractors.hpp"

namespace milkyhoop::rag::ingest {
namespace {

// Poppler reports every oddity of a damaged file on stderr; our callers get a Status instead.
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// Where a PDF's header may be: the specification lets readers accept it within the first KiB.
constexpr std::size_t kHeaderWindow = 1024;
constexpr std::size_t kTrailerWindow = 1024;

}  // namespace

Status ExtractPdf(std::string_view bytes, std::size_t max_pages, Chunker& chunker) {
  SilencePoppler();
  if (bytes.substr(0, kHeaderWindow).find("%PDF-") == std::string_view::npos) {
    return InvalidArgument("file is not a PDF (no %PDF- header)");
  }
  // Every PDF ends with %%EOF; readers (Acrobat among them) look for it in the last KiB. Without
  // it the upload was cut short, and poppler would quietly rebuild what it could.
  if (bytes.substr(bytes.size() > kTrailerWindow ? bytes.size() - kTrailerWindow : 0)
          .find("%%EOF") == std::string_view::npos) {
    return InvalidArgument("PDF is truncated (it does not end with %%EOF)");
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return ResourceExhausted("PDF is too large");
  }
  // load_from_raw_data reads the caller's bytes in place: no copy of the file.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return InvalidArgument("PDF is corrupt or truncated and cannot be read");
  if (doc->is_locked()) {
    return InvalidArgument("PDF is encrypted with a password; upload a copy without one");
  }
  const int pages = doc->pages();
  if (pages <= 0) return InvalidArgument("PDF is corrupt: it has no pages");
  if (static_cast<std::size_t>(pages) > max_pages) {
    return ResourceExhausted("PDF has " + std::to_string(pages) + " pages; the limit is " +
                             std::to_string(max_pages));
  }
  // Page by page: only one page's text is alive at a time.
  for (int p = 0; p < pages; ++p) {
    MH_TRY(chunker.CheckDeadline());
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page)
      return InvalidArgument("PDF is corrupt: page " + std::to_string(p + 1) + " is unreadable");
    // Reading order (as pdftotext does by default): columns are read one after the other rather
    // than line by line across the page.
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    LineReader lines(std::string_view(utf8.data(), utf8.size()));
    std::string_view line;
    while (lines.Next(line)) {
      if (IsBlankLine(line)) {
        MH_TRY(chunker.EndParagraph());
        continue;
      }
      MH_TRY(chunker.Write(line));
      MH_TRY(chunker.Write(" "));
    }
    MH_TRY(chunker.EndParagraph());
  }
  if (chunker.text_bytes() == 0) {
    return InvalidArgument("PDF has no extractable text (scanned images?)");
  }
  return Status::Ok();
}

}  // namespace milkyhoop::rag::ingest
