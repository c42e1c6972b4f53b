#pragma once
// Inline Markdown markup removed from one line, keeping what a reader sees: emphasis markers,
// code backticks, link and image syntax (their text stays), inline HTML tags and comments.

#include <string>
#include <string_view>

namespace milkyhoop::rag::ingest {

std::string StripMarkdownInline(std::string_view line);

}  // namespace milkyhoop::rag::ingest
