#pragma once
// The one normalisation of customer text used for matching (hand-off phrases, language words)
// and for answer-cache keys: ASCII lower-cased, punctuation turned into spaces, runs of spaces
// collapsed, ends trimmed. Bytes of multi-byte UTF-8 characters are kept as they are.
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::chatbot {

std::string NormalizeText(std::string_view text);
// The words of a normalised text.
std::vector<std::string> SplitWords(std::string_view normalized);

}  // namespace milkyhoop::chatbot
