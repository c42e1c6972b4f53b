#include "tokenizer.hpp"

#include <optional>

namespace milkyhoop::assistant::intent_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }
bool IsWordByte(char c) {
  return IsAsciiLetter(c) || IsDigit(c) || (static_cast<unsigned char>(c) & 0x80) != 0;
}

Token Word(std::string text) {
  Token t;
  t.text = std::move(text);
  return t;
}

Token Punct(TokenKind kind) {
  Token t;
  t.kind = kind;
  return t;
}

// "45rb", "1,5jt", "10kg", "12.500", "10gb" starting at s[i]; appends one or two tokens.
void LexNumber(std::string_view s, std::size_t& i, bool negative, const Lexicon& lexicon,
               std::vector<Token>& out) {
  std::size_t j = i;
  while (j < s.size() && (IsDigit(s[j]) || ((s[j] == '.' || s[j] == ',') && j + 1 < s.size() &&
                                            IsDigit(s[j + 1]) && IsDigit(s[j - 1])))) {
    ++j;
  }
  std::size_t k = j;
  while (k < s.size() && IsWordByte(s[k])) ++k;
  const std::string_view digits = s.substr(i, j - i);
  const std::string_view suffix = s.substr(j, k - j);
  i = k;

  Token number;
  number.kind = TokenKind::kNumber;
  number.text = std::string(digits);
  number.negative = negative;
  const std::optional<ParsedDigits> parsed = ParseDigits(digits);
  if (parsed) {
    number.value = parsed->value;
    number.money = parsed->grouped;
  } else {
    number.overflow = true;
  }
  if (suffix.empty() || suffix == "x") {
    number.times = suffix == "x";
    out.push_back(std::move(number));
    return;
  }
  if (const auto factor = RupiahMultiplier(suffix)) {
    const auto scaled = Multiply(number.value, *factor);
    if (scaled) {
      number.value = *scaled;
    } else {
      number.overflow = true;
    }
    number.money = number.money_suffix = true;
    out.push_back(std::move(number));
    return;
  }
  if (lexicon.FindUnit(suffix) != nullptr) {  // "10kg": a quantity and its unit
    out.push_back(std::move(number));
    out.push_back(Word(std::string(suffix)));
    return;
  }
  // "10gb", "10mm", "2in1": part of a product name.
  out.push_back(Word(std::string(digits) + std::string(suffix)));
}

// Splits folded text into raw tokens.
void Lex(std::string_view s, const Lexicon& lexicon, std::vector<Token>& out) {
  std::size_t i = 0;
  bool pending_minus = false;
  while (i < s.size() && out.size() < kMaxTokens) {
    const char c = s[i];
    if (IsDigit(c)) {
      LexNumber(s, i, pending_minus, lexicon, out);
      pending_minus = false;
      continue;
    }
    pending_minus = false;
    if (IsWordByte(c)) {
      std::string word;
      while (i < s.size()) {
        const char w = s[i];
        if (IsDigit(w) && word == "rp") break;  // "rp15.000"
        if (IsWordByte(w)) {
          word.push_back(w);
        } else if ((w == '-' || w == '\'') && i + 1 < s.size() && IsWordByte(s[i + 1]) &&
                   !word.empty()) {
          if (w == '-') word.push_back('-');  // "kue-kue", "masing-masing"; "what's" → "whats"
        } else {
          break;
        }
        ++i;
      }
      out.push_back(Word(std::move(word)));
      continue;
    }
    ++i;
    switch (c) {
      case '@':
        out.push_back(Punct(TokenKind::kAt));
        break;
      case ',':
      case ';':
        out.push_back(Punct(TokenKind::kComma));
        break;
      case '+':
      case '&':
        out.push_back(Punct(TokenKind::kPlus));
        break;
      case '/':
        out.push_back(Punct(TokenKind::kSlash));
        break;
      case '?':
        out.push_back(Punct(TokenKind::kQuestion));
        break;
      case '-':
        pending_minus = i < s.size() && IsDigit(s[i]);
        break;
      default:
        break;  // other punctuation is a boundary
    }
  }
}

// Slang and particles: "brp" → "berapa", "stoknya" → "stok", "gak jadi" stays two words.
std::vector<Token> Normalise(std::vector<Token> raw, const Lexicon& lexicon, Tokenized& stats) {
  std::vector<Token> out;
  out.reserve(raw.size());
  for (Token& t : raw) {
    if (t.kind != TokenKind::kWord) {
      out.push_back(std::move(t));
      continue;
    }
    const GroupMask language = lexicon.SingleWordGroups(t.text);
    stats.english_words += (language & Bit(kEnglish)) != 0;
    stats.indonesian_words += (language & Bit(kIndonesian)) != 0;
    if (const auto* canonical = lexicon.Slang(t.text)) {
      for (const std::string& w : *canonical) out.push_back(Word(w));
      continue;
    }
    if (!lexicon.IsKnownWord(t.text) && t.text.size() > 5) {
      for (std::string_view particle : {"nya", "lah", "kah", "pun"}) {
        const std::string_view word = t.text;
        if (word.ends_with(particle)) {
          const std::string_view stem = word.substr(0, word.size() - particle.size());
          if (lexicon.IsKnownWord(stem) || lexicon.Slang(stem) != nullptr) {
            const auto* canonical = lexicon.Slang(stem);
            t.text = canonical != nullptr ? (*canonical)[0] : std::string(stem);
            break;
          }
        }
      }
    }
    // "selusin", "sekilo", "sebungkus": one of that unit.
    if (t.text.size() > 3 && t.text.starts_with("se") && lexicon.NumberWord(t.text) == nullptr &&
        lexicon.FindUnit(std::string_view(t.text).substr(2)) != nullptr) {
      Token one;
      one.kind = TokenKind::kNumber;
      one.text = "1";
      one.value = Decimal{1, 0};
      out.push_back(std::move(one));
      out.push_back(Word(t.text.substr(2)));
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Compound number words: "dua puluh lima", "seratus ribu", "twenty five", "setengah".
std::vector<Token> ComposeNumberWords(std::vector<Token> in, const Lexicon& lexicon) {
  std::vector<Token> out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const Token& first = in[i];
    const bool a_unit = first.kind == TokenKind::kWord &&
                        (first.text == "a" || first.text == "an") && i + 1 < in.size() &&
                        in[i + 1].kind == TokenKind::kWord &&
                        lexicon.FindUnit(in[i + 1].text) != nullptr;
    if (first.kind == TokenKind::kWord && (first.text == "setengah" || first.text == "half")) {
      Token half;
      half.kind = TokenKind::kNumber;
      half.text = first.text;
      half.value = Decimal{5, 1};
      out.push_back(std::move(half));
      ++i;
      continue;
    }
    if (first.kind != TokenKind::kWord || (!a_unit && lexicon.NumberWord(first.text) == nullptr)) {
      out.push_back(in[i]);
      ++i;
      continue;
    }
    // value = Σ big-unit parts; group = the part below a thousand; small = the last digit word.
    std::int64_t value = 0, group = 0, small = 0;
    bool money = false;
    std::size_t j = i;
    for (; j < in.size() && in[j].kind == TokenKind::kWord && j - i < 12; ++j) {
      const std::string& w = in[j].text;
      const std::int64_t* n = lexicon.NumberWord(w);
      const bool thousands = w == "ribu" || w == "thousand";
      if (j == i && a_unit) {
        small = 1;
      } else if (w == "belas" && small != 0) {
        group += small + 10, small = 0;
      } else if (w == "puluh" && small != 0) {
        group += small * 10, small = 0;
      } else if (w == "ratus" || w == "hundred") {
        group += (small == 0 ? 1 : small) * 100, small = 0;
      } else if (thousands || w == "juta" || w == "million") {
        const std::int64_t part = group + small == 0 ? 1 : group + small;
        value += part * (thousands ? 1'000 : 1'000'000);
        group = small = 0;
        money = true;
      } else if (n != nullptr && *n < 10) {
        if (small != 0) break;  // "dua tiga": two numbers; stop at the second
        small = *n;
      } else if (n != nullptr && *n < 1000) {  // sepuluh, sebelas, twenty, seratus
        group += *n + small;
        small = 0;
      } else if (n != nullptr) {  // seribu, sejuta
        value += *n;
        group = small = 0;
      } else {
        break;
      }
    }
    Token number;
    number.kind = TokenKind::kNumber;
    number.text = first.text;
    number.value = Decimal{value + group + small, 0};
    number.money = number.money_suffix = money;
    out.push_back(std::move(number));
    i = j;
  }
  return out;
}

// "2 juta", "50 ribu", "Rp 15.000", "15.000 rupiah": one amount token.
std::vector<Token> MergeAmounts(std::vector<Token> in) {
  std::vector<Token> out;
  out.reserve(in.size());
  bool rupiah_prefix = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    Token& t = in[i];
    if (t.kind == TokenKind::kWord && (t.text == "rp" || t.text == "idr") && i + 1 < in.size() &&
        in[i + 1].kind == TokenKind::kNumber) {
      rupiah_prefix = true;
      continue;
    }
    if (t.kind == TokenKind::kNumber) {
      if (rupiah_prefix) t.money = t.money_suffix = true;
      rupiah_prefix = false;
      if (i + 1 < in.size() && in[i + 1].kind == TokenKind::kWord) {
        const std::string& next = in[i + 1].text;
        if (const auto factor = RupiahMultiplier(next); factor && !t.money_suffix) {
          const auto scaled = Multiply(t.value, *factor);
          if (scaled) {
            t.value = *scaled;
          } else {
            t.overflow = true;
          }
          t.money = t.money_suffix = true;
          ++i;
        } else if (next == "rupiah" || next == "perak") {
          t.money = t.money_suffix = true;
          ++i;
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Tags every word with the groups of the longest lexicon phrase covering it.
void TagPhrases(std::vector<Token>& tokens, const Lexicon& lexicon) {
  std::size_t i = 0;
  while (i < tokens.size()) {
    if (tokens[i].kind != TokenKind::kWord) {
      ++i;
      continue;
    }
    // The run of consecutive words from i, as the phrase matcher sees them.
    std::vector<std::string_view> words;
    std::size_t end = i;
    while (end < tokens.size() && tokens[end].kind == TokenKind::kWord && end - i < 8) {
      words.push_back(tokens[end].text);
      ++end;
    }
    std::size_t length = 0;
    const Phrase* phrase = lexicon.LongestPhraseAt(words, 0, length);
    if (phrase == nullptr) {
      ++i;
      continue;
    }
    for (std::size_t k = i; k < i + length; ++k) {
      tokens[k].groups = phrase->groups;
      tokens[k].phrase = phrase;
    }
    i += length;
  }
  for (Token& t : tokens) {
    if (t.kind == TokenKind::kWord) t.unit = lexicon.FindUnit(t.text);
  }
}

}  // namespace

Tokenized Tokenize(std::string_view folded, const Lexicon& lexicon) {
  Tokenized result;
  std::vector<Token> raw;
  Lex(folded, lexicon, raw);
  result.tokens =
      MergeAmounts(ComposeNumberWords(Normalise(std::move(raw), lexicon, result), lexicon));
  if (result.tokens.size() > kMaxTokens) result.tokens.resize(kMaxTokens);
  TagPhrases(result.tokens, lexicon);
  return result;
}

}  // namespace milkyhoop::assistant::intent_internal
