#include "handoff_phrases.hpp"

#include <algorithm>

#include "text_normalize.hpp"

namespace milkyhoop::chatbot {

std::string_view HandoffPhrasesText();

const HandoffPhrases& HandoffPhrases::Default() {
  static const HandoffPhrases phrases(HandoffPhrasesText());
  return phrases;
}

HandoffPhrases::HandoffPhrases(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> words = SplitWords(NormalizeText(line));
    if (!words.empty()) phrases_.push_back(std::move(words));
  }
}

bool HandoffPhrases::Matches(std::string_view message) const {
  const std::vector<std::string> words = SplitWords(NormalizeText(message));
  for (const auto& phrase : phrases_) {
    if (std::search(words.begin(), words.end(), phrase.begin(), phrase.end()) != words.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace milkyhoop::chatbot
