#include "testing/pdf_writer.hpp"

#include <cstdio>

#include "utf8.hpp"

namespace milkyhoop::rag::testing {
namespace {

// A PDF literal string in WinAnsiEncoding (Latin-1 for what we write).
std::string PdfString(const std::string& utf8) {
  std::string out = "(";
  std::size_t i = 0;
  while (i < utf8.size()) {
    const std::int32_t cp = ingest::DecodeUtf8(utf8, i);
    if (cp == '(' || cp == ')' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp >= 0xA0 && cp <= 0xFF) {
      out += static_cast<char>(cp);
    } else {
      out += '?';
    }
  }
  return out + ")";
}

}  // namespace

std::string MakePdf(const std::vector<std::vector<std::string>>& pages, const PdfOptions& options) {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;  // of objects 1..n
  auto object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  char number[64];
  std::snprintf(number, sizeof number, "%.2f", options.font_size);
  const std::string font_size = number;
  std::snprintf(number, sizeof number, "%.2f", options.leading);
  const std::string leading = number;

  // 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
  object("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (std::size_t p = 0; p < pages.size(); ++p) kids += std::to_string(4 + 2 * p) + " 0 R ";
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (std::size_t p = 0; p < pages.size(); ++p) {
    object(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 "
        "0 R >> >> /Contents " +
        std::to_string(5 + 2 * p) + " 0 R >>");
    std::string content = "BT\n/F1 " + font_size + " Tf\n" + leading + " TL\n40 760 Td\n";
    for (const std::string& line : pages[p]) {
      if (!options.kerned_words) {
        content += PdfString(line) + " Tj T*\n";
        continue;
      }
      content += "[";
      std::size_t start = 0;
      while (start <= line.size()) {
        std::size_t end = line.find(' ', start);
        if (end == std::string::npos) end = line.size();
        if (start > 0) content += " -278 ";  // Helvetica's space is 278/1000 em
        content += PdfString(line.substr(start, end - start));
        start = end + 1;
      }
      content += "] TJ T*\n";
    }
    content += "ET";
    object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
           "\nendstream");
  }
  std::string trailer_extra;
  if (options.password_protected) {
    // Revision 2 RC4: the /U entry must match the empty password for the file to open; random
    // bytes never do.
    object("<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + std::string(64, 'A') +
           "> /U <" + std::string(64, 'B') + "> >>");
    trailer_extra = " /Encrypt " + std::to_string(offsets.size()) +
                    " 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> "
                    "<0123456789ABCDEF0123456789ABCDEF>]";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t off : offsets) {
    std::snprintf(number, sizeof number, "%010zu 00000 n \n", off);
    pdf += number;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R" +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace milkyhoop::rag::testing
