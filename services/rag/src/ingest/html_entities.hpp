#pragma once
// HTML character references: named (the ones real pages use) and numeric (&#233; &#xE9;).

#include <cstddef>
#include <string>
#include <string_view>

namespace milkyhoop::rag::ingest {

// `s[i]` is '&'. When a known reference starts there, appends its UTF-8 to `out`, advances `i`
// past it and returns true; otherwise leaves both alone and returns false (the '&' is text).
bool DecodeHtmlEntity(std::string_view s, std::size_t& i, std::string& out);

}  // namespace milkyhoop::rag::ingest
