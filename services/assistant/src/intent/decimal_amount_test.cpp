#include "decimal_amount.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant::intent_internal {
namespace {

std::optional<std::int64_t> Whole(std::string_view digits) {
  const auto parsed = ParseDigits(digits);
  return parsed ? ExactInteger(parsed->value) : std::nullopt;
}

TEST(ParseDigits, ThreeDigitGroupsAreThousands) {
  EXPECT_EQ(Whole("12.500"), 12500);
  EXPECT_EQ(Whole("1.250.000"), 1250000);
  EXPECT_EQ(Whole("12,500"), 12500);
  EXPECT_TRUE(ParseDigits("12.500")->grouped);
  EXPECT_FALSE(ParseDigits("12500")->grouped);
}

TEST(ParseDigits, OtherwiseTheSeparatorIsTheDecimalPoint) {
  const auto comma = ParseDigits("1,5");
  ASSERT_TRUE(comma);
  EXPECT_EQ(comma->value.units, 15);
  EXPECT_EQ(comma->value.scale, 1);
  EXPECT_EQ(ExactInteger(comma->value), std::nullopt);
  const auto both = ParseDigits("15.000,50");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->value.units, 1500050);
  EXPECT_EQ(both->value.scale, 2);
}

TEST(ParseDigits, RejectsMalformedGroupsAndTooManyDigits) {
  EXPECT_EQ(ParseDigits("1.25.000"), std::nullopt);
  EXPECT_EQ(ParseDigits("1.2.3"), std::nullopt);
  EXPECT_EQ(ParseDigits(""), std::nullopt);
  EXPECT_EQ(ParseDigits("1234567890123456789"), std::nullopt);
}

TEST(Multiply, KeepsDecimalsExactAndReportsOverflow) {
  const auto million_and_half = Multiply(Decimal{15, 1}, 1'000'000);
  ASSERT_TRUE(million_and_half);
  EXPECT_EQ(ExactInteger(*million_and_half), 1'500'000);
  EXPECT_EQ(Multiply(Decimal{999'999'999'999'999'999, 0}, 1000), std::nullopt);
}

TEST(Divide, RoundsHalfUpAndSaysWhetherExact) {
  EXPECT_EQ(Divide(Decimal{60000, 0}, 4)->value, 15000);
  EXPECT_TRUE(Divide(Decimal{60000, 0}, 4)->exact);
  const auto third = Divide(Decimal{10000, 0}, 3);
  EXPECT_EQ(third->value, 3333);
  EXPECT_FALSE(third->exact);
  EXPECT_EQ(Divide(Decimal{5, 0}, 2)->value, 3);
  EXPECT_EQ(Divide(Decimal{1, 0}, 0), std::nullopt);
}

TEST(RupiahMultiplier, KnowsTheWordsOwnersUse) {
  EXPECT_EQ(RupiahMultiplier("rb"), 1000);
  EXPECT_EQ(RupiahMultiplier("k"), 1000);
  EXPECT_EQ(RupiahMultiplier("jt"), 1'000'000);
  EXPECT_EQ(RupiahMultiplier("juta"), 1'000'000);
  EXPECT_EQ(RupiahMultiplier("m"), std::nullopt);  // metres, not money
  EXPECT_EQ(RupiahMultiplier("kaos"), std::nullopt);
}

}  // namespace
}  // namespace milkyhoop::assistant::intent_internal
