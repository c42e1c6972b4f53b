#pragma once
// Exact decimal numbers as owners write them ("12.500", "1,5", "2.6") and the rupiah
// multipliers that follow them ("rb", "jt", "k"). Shared by the tokenizer and ParseRupiah so an
// amount means the same thing everywhere.
#include <cstdint>
#include <optional>
#include <string_view>

namespace milkyhoop::assistant::intent_internal {

// value = units / 10^scale. Kept exact: "1,5jt" is 15 / 10 × 1,000,000, never a double.
struct Decimal {
  std::int64_t units = 0;
  int scale = 0;
};

struct ParsedDigits {
  Decimal value;
  bool grouped = false;  // had thousands separators ("12.500"), so it was written as money
};

// Parses digits with '.'/',' separators. One separator followed by exactly three digits, or any
// repeated separator, groups thousands ("12.500", "1.250.000", "12,500"); one separator followed by
// one, two or four or more digits is the decimal point ("1,5", "2.6"); with both kinds the last is
// the decimal point ("15.000,50"). nullopt on malformed groups or more than 18 digits.
std::optional<ParsedDigits> ParseDigits(std::string_view text);

// "rb"/"ribu"/"k" → 1,000; "jt"/"juta" → 1,000,000; "miliar" → 10^9 …; nullopt otherwise.
// ("m" is not one: after a number it is metres.)
std::optional<std::int64_t> RupiahMultiplier(std::string_view word);

// value × factor, nullopt on overflow.
std::optional<Decimal> Multiply(Decimal value, std::int64_t factor);
// The integer value when there is no fractional part, else nullopt.
std::optional<std::int64_t> ExactInteger(Decimal value);
// value / divisor (value ≥ 0, divisor > 0) rounded half up, with whether the division was exact.
struct Quotient {
  std::int64_t value = 0;
  bool exact = true;
};
std::optional<Quotient> Divide(Decimal value, std::int64_t divisor);

}  // namespace milkyhoop::assistant::intent_internal
