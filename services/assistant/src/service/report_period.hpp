#pragma once
// The calendar days a report period covers, in the business's time zone: what the business
// service's reports take as from/to ("YYYY-MM-DD", inclusive).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/assistant/intent.hpp"

namespace milkyhoop::assistant::owner {

// UTC offset in minutes of the zones a business may have (fixed offsets, no daylight saving);
// nullopt for another name (callers fall back to Asia/Jakarta).
std::optional<int> ZoneOffsetMinutes(std::string_view zone);

struct DayRange {
  std::string from;  // "YYYY-MM-DD"
  std::string to;
};

// today, yesterday, this week (Monday..today), last week (Monday..Sunday), this month
// (1st..today), last month (1st..last day) of the local date at `now_unix_ms`.
DayRange PeriodRange(Period period, std::int64_t now_unix_ms, int offset_minutes);

// "bulan ini" / "this month", for replies.
std::string PeriodLabel(Period period, std::string_view language);

}  // namespace milkyhoop::assistant::owner
