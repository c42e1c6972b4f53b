#pragma once
// Whether a customer's message asks for a human ("mau bicara dengan admin", "talk to a person").
// The phrases are data (data/handoff_phrases.txt), matched on normalised words: every word of a
// phrase, consecutive and in order, somewhere in the message.
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::chatbot {

class HandoffPhrases {
 public:
  // The phrases embedded in the binary.
  static const HandoffPhrases& Default();
  // One phrase a line; '#' starts a comment line.
  explicit HandoffPhrases(std::string_view text);

  bool Matches(std::string_view message) const;
  std::size_t size() const { return phrases_.size(); }

 private:
  std::vector<std::vector<std::string>> phrases_;
};

}  // namespace milkyhoop::chatbot
