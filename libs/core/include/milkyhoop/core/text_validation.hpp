#pragma once
// Validation of text fields shared by every service: each returns kInvalidArgument naming
// `field`, so the gateway's problem detail points at it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop {

// Code points of valid UTF-8 (no overlongs, surrogates or C0/C1 controls; tab, CR and newline
// allowed when `multiline`), or -1 when the text is not such UTF-8.
std::int64_t CountTextCodePoints(std::string_view text, bool multiline);

// The first `max_chars` code points of UTF-8 text (never cuts one in two).
std::string_view FirstCodePoints(std::string_view text, std::size_t max_chars);

// Valid UTF-8 without control characters (tab and newline allowed when `multiline`), at most
// `max_chars` code points; non-empty when `required`. Leading/trailing ASCII space is trimmed
// first; returns the trimmed text.
Result<std::string> ValidateText(std::string_view field, std::string_view value,
                                 std::size_t max_chars, bool required, bool multiline = false);

// A page size: 0 → `default_size`; otherwise 1..max_size.
Result<int> ValidatePageSize(std::string_view field, int limit, int default_size = 50,
                             int max_size = 200);

}  // namespace milkyhoop
