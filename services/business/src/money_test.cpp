#include "money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace milkyhoop::business {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(MoneyTest, CheckedArithmeticRefusesOverflow) {
  EXPECT_EQ(CheckedAdd(1, 2), 3);
  EXPECT_FALSE(CheckedAdd(kMax, 1));
  EXPECT_FALSE(CheckedSub(-kMax - 1, 1));
  EXPECT_EQ(CheckedMul(45000, 10), 450000);
  EXPECT_FALSE(CheckedMul(kMax / 2, 3));
}

TEST(MoneyTest, MovingAverageCostRoundsHalfUpAndStaysBetweenTheCosts) {
  EXPECT_EQ(MovingAverageCost(10, 12000, 30, 14000), 13500);
  EXPECT_EQ(MovingAverageCost(1, 0, 2, 1), 1);                 // 2/3 = 0.67 → 1
  EXPECT_EQ(MovingAverageCost(2, 0, 1, 1), 0);                 // 1/3 → 0
  EXPECT_EQ(MovingAverageCost(0, 99, 5, 10), 10);              // nothing held: the new cost
  EXPECT_EQ(MovingAverageCost(-3, 99, 5, 10), 10);             // negative stock: likewise
  EXPECT_EQ(MovingAverageCost(kMax, kMax, kMax, kMax), kMax);  // 128-bit intermediate
}

TEST(MoneyTest, AverageCostWithoutUndoesAPurchase) {
  EXPECT_EQ(AverageCostWithout(40, 13500, 30, 14000), 12000);
  EXPECT_EQ(AverageCostWithout(30, 13500, 30, 14000), 13500);  // nothing left
  EXPECT_EQ(AverageCostWithout(31, 10, 30, 14000), 10);        // would be negative
}

}  // namespace
}  // namespace milkyhoop::business
