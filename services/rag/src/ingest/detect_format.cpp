#include <string>

#include "milkyhoop/rag/ingest.hpp"

namespace milkyhoop::rag {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The media type without parameters, lower-cased: "Text/CSV; charset=utf-8" → "text/csv".
std::string MediaType(std::string_view header) {
  return Lower(Trim(header.substr(0, header.find(';'))));
}

std::string Extension(std::string_view filename) {
  const std::size_t dot = filename.rfind('.');
  const std::size_t slash = filename.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && slash > dot)) return {};
  return Lower(Trim(filename.substr(dot)));
}

Result<DocumentFormat> FromMediaType(const std::string& type) {
  if (type == "text/plain") return DocumentFormat::kText;
  if (type == "text/markdown" || type == "text/x-markdown") return DocumentFormat::kMarkdown;
  if (type == "text/html" || type == "application/xhtml+xml") return DocumentFormat::kHtml;
  if (type == "application/pdf" || type == "application/x-pdf") return DocumentFormat::kPdf;
  if (type == "text/csv" || type == "application/csv" || type == "text/x-csv" ||
      type == "text/comma-separated-values") {
    return DocumentFormat::kCsv;
  }
  return InvalidArgument("unsupported document type '" + type +
                         "' (supported: txt, md, html, pdf, csv)");
}

Result<DocumentFormat> FromExtension(const std::string& ext, std::string_view filename) {
  if (ext == ".txt" || ext == ".text") return DocumentFormat::kText;
  if (ext == ".md" || ext == ".markdown") return DocumentFormat::kMarkdown;
  if (ext == ".html" || ext == ".htm") return DocumentFormat::kHtml;
  if (ext == ".pdf") return DocumentFormat::kPdf;
  if (ext == ".csv") return DocumentFormat::kCsv;
  return InvalidArgument("unsupported document type: file '" + std::string(filename) +
                         "' (supported: txt, md, html, pdf, csv)");
}

}  // namespace

std::string_view DocumentFormatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::kText:
      return "text";
    case DocumentFormat::kMarkdown:
      return "markdown";
    case DocumentFormat::kHtml:
      return "html";
    case DocumentFormat::kPdf:
      return "pdf";
    case DocumentFormat::kCsv:
      return "csv";
  }
  return "unknown";
}

Result<DocumentFormat> DetectFormat(std::string_view media_type, std::string_view filename) {
  const std::string type = MediaType(media_type);
  const std::string ext = Extension(filename);
  // Browsers label uploads loosely: octet-stream for anything unknown, Excel's type for every
  // .csv when Excel is installed, text/plain for .md and .csv on some systems. The extension
  // decides then, when it names one of ours.
  if (type.empty() || type == "application/octet-stream" || type == "application/vnd.ms-excel") {
    if (type == "application/vnd.ms-excel" && ext != ".csv") return FromMediaType(type);
    return FromExtension(ext, filename);
  }
  if (type == "text/plain" && (ext == ".md" || ext == ".markdown" || ext == ".csv")) {
    return FromExtension(ext, filename);
  }
  return FromMediaType(type);
}

}  // namespace milkyhoop::rag
