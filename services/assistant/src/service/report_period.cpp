// Civil-date arithmetic on days since 1970-01-01 (Howard Hinnant's algorithms), enough for the
// six report periods without a time-zone database: Indonesia's zones have fixed offsets.
#include "report_period.hpp"

#include <cstdio>

namespace milkyhoop::assistant::owner {
namespace {

struct Civil {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

std::string FormatDay(std::int64_t days) {
  const Civil c = CivilFromDays(days);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month,
                c.day);
  return buffer;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::optional<int> ZoneOffsetMinutes(std::string_view zone) {
  if (zone == "Asia/Jakarta" || zone == "Asia/Pontianak") return 7 * 60;
  if (zone == "Asia/Makassar") return 8 * 60;
  if (zone == "Asia/Jayapura") return 9 * 60;
  if (zone == "UTC") return 0;
  return std::nullopt;
}

DayRange PeriodRange(Period period, std::int64_t now_unix_ms, int offset_minutes) {
  const std::int64_t today =
      FloorDiv(now_unix_ms + std::int64_t{offset_minutes} * 60'000, 86'400'000);
  // 1970-01-01 was a Thursday: Monday is 0 in (days + 3) mod 7.
  const std::int64_t monday = today - ((today % 7 + 7 + 3) % 7);
  const Civil c = CivilFromDays(today);
  const std::int64_t month_start = DaysFromCivil(c.year, c.month, 1);
  switch (period) {
    case Period::kToday:
      return {FormatDay(today), FormatDay(today)};
    case Period::kYesterday:
      return {FormatDay(today - 1), FormatDay(today - 1)};
    case Period::kThisWeek:
      return {FormatDay(monday), FormatDay(today)};
    case Period::kLastWeek:
      return {FormatDay(monday - 7), FormatDay(monday - 1)};
    case Period::kThisMonth:
      return {FormatDay(month_start), FormatDay(today)};
    case Period::kLastMonth: {
      const Civil last = CivilFromDays(month_start - 1);
      return {FormatDay(DaysFromCivil(last.year, last.month, 1)), FormatDay(month_start - 1)};
    }
  }
  return {FormatDay(today), FormatDay(today)};
}

std::string PeriodLabel(Period period, std::string_view language) {
  const bool en = language == "en";
  switch (period) {
    case Period::kToday:
      return en ? "today" : "hari ini";
    case Period::kYesterday:
      return en ? "yesterday" : "kemarin";
    case Period::kThisWeek:
      return en ? "this week" : "minggu ini";
    case Period::kLastWeek:
      return en ? "last week" : "minggu lalu";
    case Period::kThisMonth:
      return en ? "this month" : "bulan ini";
    case Period::kLastMonth:
      return en ? "last month" : "bulan lalu";
  }
  return "";
}

}  // namespace milkyhoop::assistant::owner
