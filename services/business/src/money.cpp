#include "money.hpp"

namespace milkyhoop::business {
namespace {

// num / den rounded half up, for den > 0 and num >= 0.
std::int64_t DivRound(__int128 num, __int128 den) {
  return static_cast<std::int64_t>((num + den / 2) / den);
}

}  // namespace

std::int64_t MovingAverageCost(std::int64_t stock, std::int64_t avg_cost, std::int64_t qty,
                               std::int64_t unit_cost) {
  if (qty <= 0) return avg_cost;
  if (stock <= 0) return unit_cost;
  const __int128 value =
      static_cast<__int128>(stock) * avg_cost + static_cast<__int128>(qty) * unit_cost;
  if (value < 0) return unit_cost;  // negative costs are refused on input; defensive only
  return DivRound(value, static_cast<__int128>(stock) + qty);
}

std::int64_t AverageCostWithout(std::int64_t stock, std::int64_t avg_cost, std::int64_t qty,
                                std::int64_t unit_cost) {
  const __int128 rest = static_cast<__int128>(stock) - qty;
  if (qty <= 0 || rest <= 0) return avg_cost;
  const __int128 value =
      static_cast<__int128>(stock) * avg_cost - static_cast<__int128>(qty) * unit_cost;
  if (value < 0) return avg_cost;
  return DivRound(value, rest);
}

}  // namespace milkyhoop::business
