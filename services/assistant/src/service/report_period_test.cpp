#include "report_period.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant::owner {
namespace {

// 2024-05-15T03:00:00Z: Wednesday 10:00 in Jakarta.
constexpr std::int64_t kWednesday = 1'715'742'000'000;
constexpr int kJakarta = 7 * 60;

void ExpectRange(Period p, std::int64_t now, int offset, const char* from, const char* to) {
  const DayRange r = PeriodRange(p, now, offset);
  EXPECT_EQ(r.from, from) << PeriodName(p);
  EXPECT_EQ(r.to, to) << PeriodName(p);
}

TEST(ReportPeriod, EachPeriodInTheBusinessCalendar) {
  ExpectRange(Period::kToday, kWednesday, kJakarta, "2024-05-15", "2024-05-15");
  ExpectRange(Period::kYesterday, kWednesday, kJakarta, "2024-05-14", "2024-05-14");
  ExpectRange(Period::kThisWeek, kWednesday, kJakarta, "2024-05-13", "2024-05-15");
  ExpectRange(Period::kLastWeek, kWednesday, kJakarta, "2024-05-06", "2024-05-12");
  ExpectRange(Period::kThisMonth, kWednesday, kJakarta, "2024-05-01", "2024-05-15");
  ExpectRange(Period::kLastMonth, kWednesday, kJakarta, "2024-04-01", "2024-04-30");
}

TEST(ReportPeriod, TheLocalDateDecidesNotUtc) {
  // 2024-03-31T18:30:00Z is already 1 April in Jakarta (01:30) but still 31 March in UTC.
  const std::int64_t now = 1'711'909'800'000;
  ExpectRange(Period::kToday, now, kJakarta, "2024-04-01", "2024-04-01");
  ExpectRange(Period::kLastMonth, now, kJakarta, "2024-03-01", "2024-03-31");
  ExpectRange(Period::kToday, now, 0, "2024-03-31", "2024-03-31");
  ExpectRange(Period::kLastMonth, now, 0, "2024-02-01", "2024-02-29");  // a leap year
  // Sunday 2024-03-31 belongs to the week that started on Monday the 25th.
  ExpectRange(Period::kThisWeek, now, 0, "2024-03-25", "2024-03-31");
  // January's last month is the previous year's December.
  ExpectRange(Period::kLastMonth, 1'705'000'000'000, kJakarta, "2023-12-01", "2023-12-31");
}

TEST(ReportPeriod, ZonesAreTheBusinessServicesZones) {
  EXPECT_EQ(ZoneOffsetMinutes("Asia/Jakarta"), 420);
  EXPECT_EQ(ZoneOffsetMinutes("Asia/Makassar"), 480);
  EXPECT_EQ(ZoneOffsetMinutes("Asia/Jayapura"), 540);
  EXPECT_EQ(ZoneOffsetMinutes("UTC"), 0);
  EXPECT_FALSE(ZoneOffsetMinutes("Europe/Paris").has_value());
  EXPECT_EQ(PeriodLabel(Period::kThisMonth, "id"), "bulan ini");
  EXPECT_EQ(PeriodLabel(Period::kLastWeek, "en"), "last week");
}

}  // namespace
}  // namespace milkyhoop::assistant::owner
