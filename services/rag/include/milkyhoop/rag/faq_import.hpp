#pragma once
// Bulk FAQ import: parses a JSON array or a CSV file of question/answer pairs, validating each row
// so that bad rows are reported with their line and the rest are kept. A pure library: the
// service stores the rows.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag {

// Per-row limits, in code points. Shared with the FAQ create/update validation.
inline constexpr std::size_t kMaxFaqQuestionChars = 500;
inline constexpr std::size_t kMaxFaqAnswerChars = 5000;
inline constexpr std::size_t kMaxFaqTags = 20;
inline constexpr std::size_t kMaxFaqTagChars = 64;

struct FaqRow {
  std::string question;
  std::string answer;
  std::vector<std::string> tags;
};
struct ImportRejection {
  std::size_t line = 0;
  std::string reason;
};  // line: 1-based (CSV: file line incl. header; JSON: array index + 1)
struct FaqImport {
  std::vector<FaqRow> rows;
  std::vector<ImportRejection> rejected;
};

// JSON array of {question, answer, tags?}; CSV (RFC 4180: quotes, escaped quotes, CRLF, newlines
// in quoted fields, BOM) with a header that has `question` and `answer` columns (any order,
// optional `tags` separated by `;` or `|`). Per-row validation: both non-empty after trimming,
// question ≤ 500 chars, answer ≤ 5000 chars, valid UTF-8; bad rows rejected with a reason, the rest
// kept. A malformed whole (not an array / no header / unterminated quote at EOF) →
// kInvalidArgument. max_rows (default 10,000) exceeded → kResourceExhausted.
//
// Also: question and answer are trimmed; tags are trimmed, empty ones dropped, duplicates removed,
// at most kMaxFaqTags of at most kMaxFaqTagChars each (else the row is rejected). In JSON, `tags`
// may be an array of strings or one string separated like the CSV column. A CSV whose header line
// uses `;` or a tab instead of `,` (Excel in an Indonesian locale) is read with that delimiter.
// Blank CSV lines are skipped; header names are matched case-insensitively, and the Indonesian
// `pertanyaan`, `jawaban` and `tag` are accepted too.
Result<FaqImport> ParseFaqJson(std::string_view body, std::size_t max_rows = 10'000);
Result<FaqImport> ParseFaqCsv(std::string_view body, std::size_t max_rows = 10'000);

}  // namespace milkyhoop::rag
