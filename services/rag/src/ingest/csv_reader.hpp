#pragma once
// A streaming RFC 4180 reader: one record at a time from a view of the whole file, so a
// 100,000-line CSV never becomes 100,000 rows in memory. Tolerant where spreadsheets are sloppy
// (quotes inside unquoted fields, text after a closing quote, bare LF or CR line ends).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag::ingest {

class CsvReader {
 public:
  static constexpr std::size_t kMaxFields = 1024;

  // `data` without a byte-order mark (StripBom). `delimiter`: ',', ';' or '\t'.
  CsvReader(std::string_view data, char delimiter) : data_(data), delimiter_(delimiter) {}

  // The delimiter the header line uses: the most frequent of ',', ';' and tab outside quotes,
  // ',' when there is none (Excel in an Indonesian locale writes ';').
  static char SniffDelimiter(std::string_view data);
  static std::string_view StripBom(std::string_view data);

  // Reads the next record into `fields` (reusing its strings). Returns false at the end of the
  // data; kInvalidArgument for a quoted field still open at the end, or more than kMaxFields.
  Result<bool> Next(std::vector<std::string>& fields);

  // The 1-based line on which the record last read started.
  std::size_t record_line() const { return record_line_; }

 private:
  std::string_view data_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
};

// True when every field is empty or spaces (a blank line).
bool IsBlankRecord(const std::vector<std::string>& fields);

}  // namespace milkyhoop::rag::ingest
