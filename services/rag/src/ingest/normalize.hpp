#pragma once
// Text normalisation applied to everything extracted, so chunks are clean UTF-8 whatever the
// source: whitespace collapsed, control and invisible characters removed, common decompositions
// composed (NFC-ish), PDF ligatures expanded, stray legacy bytes decoded.

#include <cstdint>
#include <string>
#include <string_view>

namespace milkyhoop::rag::ingest {

// Appends `raw` to `out`, normalised:
// - any run of whitespace (ASCII, no-break and typographic spaces, line and paragraph separators,
//   and raw newlines) becomes one ' ', never at the start of `out` nor after a '\n' or ' ' already
//   there (so callers control line breaks by appending '\n' themselves);
// - control characters, zero-width spaces, soft hyphens, byte-order marks and bidirectional
//   overrides are dropped (ZWJ stays: emoji sequences need it);
// - a Latin letter followed by a combining grave, acute, circumflex, tilde, diaeresis, ring or
//   cedilla becomes the precomposed letter; the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ become their letters;
// - a byte that is not valid UTF-8 is read as Windows-1252 (how legacy Indonesian files and
//   Excel exports are encoded), so the result is always valid UTF-8.
// Returns the number of bytes appended.
std::size_t AppendNormalized(std::string& out, std::string_view raw);

// A single line (a heading, a cell): normalised, trimmed.
std::string NormalizeLine(std::string_view raw);

// Removes trailing ' ' and '\n' from `s`.
void TrimTrailingSpace(std::string& s);

// The Unicode code point of a Windows-1252 byte, 0 for the five bytes it leaves undefined.
std::uint32_t Cp1252ToUnicode(unsigned char byte);

}  // namespace milkyhoop::rag::ingest
