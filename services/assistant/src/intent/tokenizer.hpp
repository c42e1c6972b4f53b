#pragma once
// Owner text (already folded) to tokens: words after slang rewriting, numbers with their
// rupiah multipliers merged ("45rb", "2 juta", "dua puluh"), units, punctuation that matters
// ("@", ",", "+", "/", "?"), and for every word the lexicon groups of the longest phrase covering
// it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decimal_amount.hpp"
#include "lexicon.hpp"

namespace milkyhoop::assistant::intent_internal {

enum class TokenKind { kWord, kNumber, kAt, kComma, kPlus, kSlash, kQuestion };

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;            // kWord: normalised word; kNumber: digits as written
  Decimal value;               // kNumber, ≥ 0 (see negative)
  bool negative = false;       // kNumber written with a leading '-'
  bool money = false;          // kNumber written as an amount: rb/jt/k, Rp, "12.500"
  bool money_suffix = false;   // …by a multiplier or Rp, not only by thousands grouping
  bool overflow = false;       // kNumber too long to hold; value is meaningless
  bool times = false;          // kNumber written "40x": a count multiplying the line
  const Unit* unit = nullptr;  // kWord spelled as a unit ("kg", "lusin", "gelas")
  GroupMask groups = 0;        // groups of the phrase covering this word (kWord)
  const Phrase* phrase = nullptr;
};

struct Tokenized {
  std::vector<Token> tokens;
  int english_words = 0;     // words of the original text known as English
  int indonesian_words = 0;  // … as Indonesian
};

// Never fails: unknown characters are boundaries. At most kMaxTokens tokens are produced.
inline constexpr std::size_t kMaxTokens = 600;
Tokenized Tokenize(std::string_view folded, const Lexicon& lexicon);

}  // namespace milkyhoop::assistant::intent_internal
