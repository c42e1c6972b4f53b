#pragma once
// Folding of owner text before parsing or matching: any bytes in, parseable text out.
#include <cstddef>
#include <string>
#include <string_view>

namespace milkyhoop::assistant::intent_internal {

// Lower-cases ASCII, folds accented Latin letters to their base letter ("é" → "e"), turns
// emoji, symbols, punctuation outside ASCII, control bytes and invalid UTF-8 into spaces, and
// keeps other letters (Arabic, Chinese, …) as valid UTF-8. ASCII punctuation is kept for the
// tokenizer ("@", ",", "?"); curly apostrophes become "'".
std::string FoldForParsing(std::string_view text);

// Code points in text (invalid bytes count one each); stops counting past `limit`.
std::size_t CountCodePoints(std::string_view text, std::size_t limit);

}  // namespace milkyhoop::assistant::intent_internal
