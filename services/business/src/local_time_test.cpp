#include "local_time.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::business {
namespace {

TEST(LocalTimeTest, DaysInTheBusinessZone) {
  const std::int64_t may5 = *ParseDate("2024-05-05");
  // 2024-05-05T16:59:59Z is 23:59:59 in Jakarta; a second later it is May 6 there.
  const std::int64_t t = 1'714'928'399'000;
  EXPECT_EQ(LocalDay(t, 420), may5);
  EXPECT_EQ(LocalDay(t + 1000, 420), may5 + 1);
  EXPECT_EQ(LocalDay(t + 1000, 0), may5);
  EXPECT_EQ(LocalDay(-1, 0), -1);  // floor, not truncation
  EXPECT_EQ(UtcOffsetMinutes("Asia/Jayapura"), 540);
  EXPECT_FALSE(UtcOffsetMinutes("Asia/Tokyo"));
}

TEST(LocalTimeTest, ParseAndFormatDates) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("2024-02-29"), 19782);
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2024-13-01"));
  EXPECT_FALSE(ParseDate("2024-1-01"));
  EXPECT_FALSE(ParseDate("1969-12-31"));
  EXPECT_EQ(FormatDate(19782), "2024-02-29");
  EXPECT_EQ(FormatMonth(19782), "2024-02");
}

TEST(LocalTimeTest, WeeksStartOnMondayMonthsOnTheFirst) {
  EXPECT_EQ(FormatDate(WeekStart(*ParseDate("2024-05-05"))), "2024-04-29");  // a Sunday
  EXPECT_EQ(FormatDate(WeekStart(*ParseDate("2024-05-06"))), "2024-05-06");  // a Monday
  EXPECT_EQ(FormatDate(MonthStart(*ParseDate("2024-05-31"))), "2024-05-01");
}

}  // namespace
}  // namespace milkyhoop::business
