#include "language.hpp"

#include "text_normalize.hpp"

namespace milkyhoop::chatbot {

std::string_view IndonesianWordsText();
std::string_view EnglishWordsText();

namespace {

std::unordered_set<std::string> ParseWordList(std::string_view text) {
  std::unordered_set<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::string word = NormalizeText(line);
    if (!word.empty()) words.insert(std::move(word));
  }
  return words;
}

}  // namespace

const LanguageDetector& LanguageDetector::Default() {
  static const LanguageDetector detector(IndonesianWordsText(), EnglishWordsText());
  return detector;
}

LanguageDetector::LanguageDetector(std::string_view indonesian_words,
                                   std::string_view english_words)
    : indonesian_(ParseWordList(indonesian_words)), english_(ParseWordList(english_words)) {}

std::string LanguageDetector::Detect(std::string_view text, std::string_view fallback) const {
  int id = 0;
  int en = 0;
  for (const std::string& w : SplitWords(NormalizeText(text))) {
    id += indonesian_.count(w) ? 1 : 0;
    en += english_.count(w) ? 1 : 0;
  }
  if (en > id) return "en";
  if (id > en) return "id";
  return fallback == "en" ? "en" : "id";
}

}  // namespace milkyhoop::chatbot
