#pragma once
// Calendar days in a business's time zone. Indonesia's zones have fixed offsets and no daylight
// saving, so a zone is an offset in minutes and a "local day" is days since 1970-01-01 of the
// local civil date: the key of the daily aggregates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace milkyhoop::business {

inline constexpr char kDefaultTimeZone[] = "Asia/Jakarta";

// Offset from UTC in minutes of a supported zone (Asia/Jakarta +420, Asia/Pontianak +420,
// Asia/Makassar +480, Asia/Jayapura +540, UTC 0); nullopt for any other name.
std::optional<int> UtcOffsetMinutes(std::string_view zone);

// The local day of a Unix time (floor division: correct before 1970 too).
std::int64_t LocalDay(std::int64_t unix_ms, int offset_minutes);

// "YYYY-MM-DD" (a real date, years 1970..9999) → days since 1970-01-01.
std::optional<std::int64_t> ParseDate(std::string_view text);
std::string FormatDate(std::int64_t day);
// "YYYY-MM" of the month holding `day`.
std::string FormatMonth(std::int64_t day);

// The Monday starting the ISO week of `day`, and the first day of its month.
std::int64_t WeekStart(std::int64_t day);
std::int64_t MonthStart(std::int64_t day);

}  // namespace milkyhoop::business
