#pragma once
// Splits text into lower-case, accent-folded words. The first step of TextAnalyzer.

#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::rag {

// Words of `text` (UTF-8; invalid bytes separate words):
// - ASCII and Latin-1/Latin Extended-A letters are lower-cased and folded to ASCII ("Café" ->
//   "cafe", "ß" -> "ss"); other non-punctuation code points are kept as they are;
// - a hyphenated word is split into its parts, a reduplication ("kue-kue") gives one part, and
//   a word with a part of one or two letters is joined ("Wi-Fi" -> "wifi", "H-3" -> "h3");
// - digits grouped with '.' or ',' form one number ("15.000" -> "15000");
// - a letter repeated three or more times is written once ("bisaaa" -> "bisa").
// Stops after `max_words` words.
std::vector<std::string> TokenizeText(std::string_view text, std::size_t max_words);

}  // namespace milkyhoop::rag
