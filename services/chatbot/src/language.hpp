#pragma once
// Which language a customer writes in, by a small word-list vote: "id" or "en". Messages with no
// decisive words (a bare product name, "ok") keep the fallback (the business's language).
#include <string>
#include <string_view>
#include <unordered_set>

namespace milkyhoop::chatbot {

class LanguageDetector {
 public:
  // The word lists embedded in the binary (data/*.txt).
  static const LanguageDetector& Default();
  // Lists are one lower-case word a line; '#' starts a comment line.
  LanguageDetector(std::string_view indonesian_words, std::string_view english_words);

  std::string Detect(std::string_view text, std::string_view fallback) const;

 private:
  std::unordered_set<std::string> indonesian_;
  std::unordered_set<std::string> english_;
};

}  // namespace milkyhoop::chatbot
