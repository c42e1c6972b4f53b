#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "extractors.hpp"
#include "normalize.hpp"

namespace milkyhoop::rag::ingest {
namespace {

std::string ColumnName(std::size_t index) { return "kolom " + std::to_string(index + 1); }

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

Status ExtractCsv(std::string_view text, std::size_t max_rows, Chunker& chunker) {
  text = CsvReader::StripBom(text);
  CsvReader reader(text, CsvReader::SniffDelimiter(text));
  std::vector<std::string> header;
  while (true) {
    MH_ASSIGN_OR_RETURN(const bool more, reader.Next(header));
    if (!more) return Status::Ok();
    if (!IsBlankRecord(header)) break;
  }
  for (std::size_t k = 0; k < header.size(); ++k) {
    header[k] = NormalizeLine(header[k]);
    if (header[k].empty()) header[k] = ColumnName(k);
  }
  // One record at a time: its line goes to the chunker, which packs rows into chunks.
  std::vector<std::string> fields;
  std::string line;
  std::size_t rows = 0;
  while (true) {
    MH_ASSIGN_OR_RETURN(const bool more, reader.Next(fields));
    if (!more) break;
    if (IsBlankRecord(fields)) continue;
    if (++rows > max_rows) {
      return ResourceExhausted("the CSV has more than " + std::to_string(max_rows) + " rows");
    }
    line.clear();
    for (std::size_t k = 0; k < fields.size(); ++k) {
      const std::string_view value = Trim(fields[k]);
      if (value.empty()) continue;
      if (!line.empty()) line += "; ";
      line += k < header.size() ? header[k] : ColumnName(k);
      line += ": ";
      line += value;
    }
    MH_TRY(chunker.Write(line));
    MH_TRY(chunker.EndParagraph());
  }
  return Status::Ok();
}

}  // namespace milkyhoop::rag::ingest
