#include "milkyhoop/assistant/rupiah.hpp"

#include "decimal_amount.hpp"
#include "text_fold.hpp"

namespace milkyhoop::assistant {
namespace {

constexpr std::size_t kMaxAmountText = 64;  // no real amount is longer; bounds the work

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }

void SkipSpaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && s[i] == ' ') ++i;
}

}  // namespace

std::string FormatRupiah(std::int64_t amount) {
  // Magnitude as unsigned so INT64_MIN formats too.
  const bool negative = amount < 0;
  std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(amount)
                                     : static_cast<std::uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  std::string grouped;
  grouped.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back('.');
    grouped.push_back(digits[i]);
  }
  return (negative ? "-Rp " : "Rp ") + grouped;
}

std::optional<std::int64_t> ParseRupiah(std::string_view text) {
  if (text.size() > kMaxAmountText) return std::nullopt;
  const std::string s = intent_internal::FoldForParsing(text);
  std::size_t i = 0;
  SkipSpaces(s, i);
  // "Rp", "Rp.", "IDR" before the digits.
  for (std::string_view prefix : {"rp", "idr"}) {
    if (std::string_view(s).substr(i).starts_with(prefix)) {
      i += prefix.size();
      if (i < s.size() && s[i] == '.') ++i;
      SkipSpaces(s, i);
      break;
    }
  }
  const std::size_t start = i;
  while (i < s.size() && (IsDigit(s[i]) || ((s[i] == '.' || s[i] == ',') && i + 1 < s.size() &&
                                            IsDigit(s[i + 1]) && i > start))) {
    ++i;
  }
  const auto digits = intent_internal::ParseDigits(std::string_view(s).substr(start, i - start));
  if (!digits) return std::nullopt;
  if (std::string_view(s).substr(i).starts_with(",-") ||
      std::string_view(s).substr(i).starts_with(".-")) {
    i += 2;  // "15.000,-": the price-tag way of saying "no cents"
  }
  SkipSpaces(s, i);
  intent_internal::Decimal value = digits->value;
  const std::size_t word_start = i;
  while (i < s.size() && IsLetter(s[i])) ++i;
  const std::string_view word = std::string_view(s).substr(word_start, i - word_start);
  if (!word.empty() && word != "rupiah") {
    const auto factor = intent_internal::RupiahMultiplier(word);
    if (!factor) return std::nullopt;
    const auto scaled = intent_internal::Multiply(value, *factor);
    if (!scaled) return std::nullopt;
    value = *scaled;
    SkipSpaces(s, i);
    const std::size_t tail = i;
    while (i < s.size() && IsLetter(s[i])) ++i;
    if (std::string_view(s).substr(tail, i - tail) != "" &&
        std::string_view(s).substr(tail, i - tail) != "rupiah") {
      return std::nullopt;
    }
  }
  SkipSpaces(s, i);
  if (i != s.size()) return std::nullopt;
  const auto whole = intent_internal::ExactInteger(value);
  if (!whole || *whole < 0 || *whole > kMaxRupiah) return std::nullopt;
  return *whole;
}

}  // namespace milkyhoop::assistant
