#pragma once
// The report aggregates, maintained in the transaction of every posting and void: one row per
// business per local day, and one per product per day. Reports then read at most a few hundred
// rows a year, however many transactions there were.

#include <cstdint>
#include <string_view>

#include "business_rows.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::business {

struct DayDelta {
  std::int64_t revenue = 0;  // sales net of discount, before tax
  std::int64_t cogs = 0;
  std::int64_t tax = 0;  // collected on sales
  std::int64_t purchases = 0;
  std::int64_t expenses = 0;
  std::int64_t sales_count = 0;
};

// What a posted transaction adds to its day (a void applies the negation).
DayDelta DeltaOf(const v1::Transaction& t);
DayDelta Negated(const DayDelta& d);

// Adds `delta` to the day's row, creating it. kInvalidArgument ("total") when a sum would leave
// int64 — checked before writing so no wrapped or rounded figure is ever stored.
Status ApplyDayDelta(sql::Session& tx, const BusinessScope& scope, std::int64_t day,
                     const DayDelta& delta);
Status ApplyProductDelta(sql::Session& tx, const BusinessScope& scope, std::string_view product_id,
                         std::int64_t day, std::int64_t quantity, std::int64_t revenue);

}  // namespace milkyhoop::business
