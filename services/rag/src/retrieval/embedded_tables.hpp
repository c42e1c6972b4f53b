#pragma once
// The text tables of services/rag/data/, compiled into the binary (services/rag/embed_text.cmake).

#include <string_view>

namespace milkyhoop::rag {

std::string_view NormalizationText();
std::string_view StopwordsText();
std::string_view GenericWordsText();
std::string_view EnglishWordsText();
std::string_view SynonymsText();
std::string_view StemOverridesText();

}  // namespace milkyhoop::rag
