#include <cmath>
#include <limits>

#include "milkyhoop/sql/database.hpp"
#include "value_text.hpp"

namespace milkyhoop::sql {
namespace {

// An index outside the result is a caller bug; it reads as NULL rather than crashing a server.
const Value* Cell(const std::vector<std::vector<Value>>& rows, std::size_t r, std::size_t c) {
  if (r >= rows.size() || c >= rows[r].size()) return nullptr;
  return &rows[r][c];
}

std::int64_t DoubleToInt(double d) {
  // Truncates toward zero; out-of-range and NaN would be undefined behaviour in a plain cast.
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!std::isfinite(d) || d >= kLimit || d < -kLimit) return 0;
  return static_cast<std::int64_t>(d);
}

}  // namespace

bool Rows::IsNull(std::size_t r, std::size_t c) const {
  const Value* v = Cell(rows_, r, c);
  return v == nullptr || std::holds_alternative<std::monostate>(*v);
}

std::int64_t Rows::Int(std::size_t r, std::size_t c) const {
  const Value* v = Cell(rows_, r, c);
  if (v == nullptr) return 0;
  if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
  if (const auto* d = std::get_if<double>(v)) return DoubleToInt(*d);
  if (const auto* s = std::get_if<std::string>(v)) return internal::ParseInt(*s).value_or(0);
  return 0;
}

double Rows::Real(std::size_t r, std::size_t c) const {
  const Value* v = Cell(rows_, r, c);
  if (v == nullptr) return 0;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(v)) return internal::ParseReal(*s).value_or(0);
  return 0;
}

std::string Rows::Text(std::size_t r, std::size_t c) const {
  const Value* v = Cell(rows_, r, c);
  if (v == nullptr) return {};
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(v)) return internal::FormatInt(*i);
  if (const auto* d = std::get_if<double>(v)) return internal::FormatReal(*d);
  return {};
}

std::optional<std::string> Rows::OptText(std::size_t r, std::size_t c) const {
  if (IsNull(r, c)) return std::nullopt;
  return Text(r, c);
}

int Rows::Column(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace milkyhoop::sql
