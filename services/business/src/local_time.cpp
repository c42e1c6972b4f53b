#include "local_time.hpp"

#include <charconv>
#include <cstdio>

namespace milkyhoop::business {
namespace {

struct Civil {
  int year;
  int month;
  int day;
};

// H. Hinnant's algorithms: proleptic Gregorian calendar <-> days since 1970-01-01.
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return {y, static_cast<int>(m), static_cast<int>(d)};
}

bool ReadDigits(std::string_view s, std::size_t pos, std::size_t len, int* out) {
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return std::from_chars(s.data() + pos, s.data() + pos + len, *out).ec == std::errc();
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::optional<int> UtcOffsetMinutes(std::string_view zone) {
  if (zone == "Asia/Jakarta" || zone == "Asia/Pontianak") return 7 * 60;
  if (zone == "Asia/Makassar") return 8 * 60;
  if (zone == "Asia/Jayapura") return 9 * 60;
  if (zone == "UTC") return 0;
  return std::nullopt;
}

std::int64_t LocalDay(std::int64_t unix_ms, int offset_minutes) {
  return FloorDiv(unix_ms + static_cast<std::int64_t>(offset_minutes) * 60'000, 86'400'000);
}

std::optional<std::int64_t> ParseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !ReadDigits(s, 0, 4, &y) ||
      !ReadDigits(s, 5, 2, &m) || !ReadDigits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

std::string FormatDate(std::int64_t day) {
  const Civil c = CivilFromDays(day);
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::string FormatMonth(std::int64_t day) { return FormatDate(day).substr(0, 7); }

std::int64_t WeekStart(std::int64_t day) {
  // 1970-01-01 was a Thursday: Monday-based weekday index is (day + 3) mod 7.
  const std::int64_t weekday = ((day + 3) % 7 + 7) % 7;
  return day - weekday;
}

std::int64_t MonthStart(std::int64_t day) {
  const Civil c = CivilFromDays(day);
  return DaysFromCivil(c.year, c.month, 1);
}

}  // namespace milkyhoop::business
