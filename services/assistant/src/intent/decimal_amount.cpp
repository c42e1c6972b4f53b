#include "decimal_amount.hpp"

#include <array>
#include <string>

namespace milkyhoop::assistant::intent_internal {
namespace {

constexpr int kMaxDigits = 18;  // below 2^63, so every sum and shift stays in range
constexpr std::array<std::int64_t, 19> kPow10 = {1,
                                                 10,
                                                 100,
                                                 1'000,
                                                 10'000,
                                                 100'000,
                                                 1'000'000,
                                                 10'000'000,
                                                 100'000'000,
                                                 1'000'000'000,
                                                 10'000'000'000,
                                                 100'000'000'000,
                                                 1'000'000'000'000,
                                                 10'000'000'000'000,
                                                 100'000'000'000'000,
                                                 1'000'000'000'000'000,
                                                 10'000'000'000'000'000,
                                                 100'000'000'000'000'000,
                                                 1'000'000'000'000'000'000};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<ParsedDigits> ParseDigits(std::string_view text) {
  if (text.empty() || !IsDigit(text.front()) || !IsDigit(text.back())) return std::nullopt;
  // Where the separators are, and of which kind.
  std::size_t dots = 0, commas = 0;
  std::size_t last_sep = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' || c == ',') {
      if (i > 0 && !IsDigit(text[i - 1])) return std::nullopt;  // "1..5"
      (c == '.' ? dots : commas)++;
      last_sep = i;
    } else if (!IsDigit(c)) {
      return std::nullopt;
    }
  }
  std::size_t decimal_at = std::string_view::npos;
  if (dots > 0 && commas > 0) {
    decimal_at = last_sep;
    const char dec = text[last_sep];
    if ((dec == '.' ? dots : commas) != 1) return std::nullopt;
  } else if (dots + commas == 1) {
    const std::size_t tail = text.size() - last_sep - 1;
    if (tail != 3) decimal_at = last_sep;
  }
  // Thousands groups: every group after the first has exactly three digits.
  const std::size_t int_end = decimal_at == std::string_view::npos ? text.size() : decimal_at;
  bool grouped = false;
  std::size_t group_len = 0;
  bool first_group = true;
  for (std::size_t i = 0; i < int_end; ++i) {
    if (text[i] == '.' || text[i] == ',') {
      if (first_group ? (group_len == 0 || group_len > 3) : group_len != 3) return std::nullopt;
      first_group = false;
      grouped = true;
      group_len = 0;
    } else {
      ++group_len;
    }
  }
  if (!first_group && group_len != 3) return std::nullopt;

  ParsedDigits out;
  out.grouped = grouped;
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!IsDigit(c)) continue;
    if (++digits > kMaxDigits) return std::nullopt;
    out.value.units = out.value.units * 10 + (c - '0');
    if (decimal_at != std::string_view::npos && i > decimal_at) ++out.value.scale;
  }
  return out;
}

std::optional<std::int64_t> RupiahMultiplier(std::string_view word) {
  static constexpr std::pair<std::string_view, std::int64_t> kWords[] = {
      {"rb", 1'000},
      {"ribu", 1'000},
      {"rebu", 1'000},
      {"rbu", 1'000},
      {"k", 1'000},
      {"rban", 1'000},
      {"ribuan", 1'000},
      {"thousand", 1'000},
      {"jt", 1'000'000},
      {"juta", 1'000'000},
      {"jeti", 1'000'000},
      {"million", 1'000'000},
      {"mio", 1'000'000},
      {"jtan", 1'000'000},
      {"miliar", 1'000'000'000},
      {"milyar", 1'000'000'000},
      {"billion", 1'000'000'000}};
  for (const auto& [spelling, factor] : kWords) {
    if (word == spelling) return factor;
  }
  return std::nullopt;
}

std::optional<Decimal> Multiply(Decimal value, std::int64_t factor) {
  // Cancel decimal places against the factor's zeros first so "1,5jt" stays small and exact.
  while (value.scale > 0 && factor % 10 == 0) {
    factor /= 10;
    --value.scale;
  }
  std::int64_t units = 0;
  if (__builtin_mul_overflow(value.units, factor, &units)) return std::nullopt;
  value.units = units;
  return value;
}

std::optional<std::int64_t> ExactInteger(Decimal value) {
  if (value.scale < 0 || value.scale > kMaxDigits) return std::nullopt;
  const std::int64_t p = kPow10[static_cast<std::size_t>(value.scale)];
  if (value.units % p != 0) return std::nullopt;
  return value.units / p;
}

std::optional<Quotient> Divide(Decimal value, std::int64_t divisor) {
  if (divisor <= 0 || value.units < 0 || value.scale < 0 || value.scale > kMaxDigits) {
    return std::nullopt;
  }
  std::int64_t denominator = 0;
  if (__builtin_mul_overflow(kPow10[static_cast<std::size_t>(value.scale)], divisor,
                             &denominator)) {
    return std::nullopt;
  }
  Quotient q;
  const std::int64_t whole = value.units / denominator;
  const std::int64_t rest = value.units % denominator;
  q.exact = rest == 0;
  // Round half up, written so that no intermediate can overflow.
  q.value = whole + (rest != 0 && rest >= denominator - rest ? 1 : 0);
  return q;
}

}  // namespace milkyhoop::assistant::intent_internal
