#pragma once
// UTF-8 primitives the ingestion code shares: strict decoding, encoding, validation and counting
// code points (chunk sizes are in code points, so a chunk never splits one).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace milkyhoop::rag::ingest {

// Decodes the code point at s[i] and advances i past it. Strict (no overlong forms, no
// surrogates, nothing above U+10FFFF): on an invalid sequence returns -1 and advances one byte.
std::int32_t DecodeUtf8(std::string_view s, std::size_t& i);

void AppendUtf8(std::string& out, std::uint32_t cp);

bool IsValidUtf8(std::string_view s);

// Number of code points of valid UTF-8 (counts the bytes that are not continuation bytes).
std::size_t CountCodePoints(std::string_view s);

// Byte offset just after the first `n` code points of `s` (s.size() if it has fewer).
std::size_t ByteOffsetOfCodePoint(std::string_view s, std::size_t n);

}  // namespace milkyhoop::rag::ingest
