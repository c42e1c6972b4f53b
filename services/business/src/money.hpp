#pragma once
// Integer money arithmetic that refuses to overflow instead of wrapping: every amount is minor
// units in an int64, and a total that would not fit is an input error, never a wrong number.

#include <cstdint>
#include <optional>

namespace milkyhoop::business {

inline std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

inline std::optional<std::int64_t> CheckedSub(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

inline std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// The moving average unit cost after `qty` units at `unit_cost` join `stock` units held at
// `avg_cost`: (stock * avg + qty * unit_cost) / (stock + qty), rounded half up. When nothing
// (or less than nothing) is held the old average means nothing and the new units set it.
// Computed in 128 bits, so it cannot overflow for any int64 inputs; the result lies between the
// two costs.
std::int64_t MovingAverageCost(std::int64_t stock, std::int64_t avg_cost, std::int64_t qty,
                               std::int64_t unit_cost);

// The average after `qty` units bought at `unit_cost` leave again (a purchase voided). Keeps the
// old average when the rest would be empty or the result would not be a cost (negative).
std::int64_t AverageCostWithout(std::int64_t stock, std::int64_t avg_cost, std::int64_t qty,
                                std::int64_t unit_cost);

}  // namespace milkyhoop::business
