#pragma once
// The daily LLM budget of a business: tokens priced per model, summed per business per
// Asia/Jakarta calendar day, in thousandths of the currency's minor unit (so a 1k-token price
// of Rp 5 charges 5 milli-rupiah per token, with no rounding).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::chatbot {

class PriceTable {
 public:
  PriceTable(std::map<std::string, ModelPrice> prices, ModelPrice default_price)
      : prices_(prices.begin(), prices.end()), default_price_(default_price) {}
  std::int64_t CostMilli(std::string_view model, std::int64_t prompt_tokens,
                         std::int64_t completion_tokens) const;

 private:
  std::map<std::string, ModelPrice, std::less<>> prices_;
  ModelPrice default_price_;
};

// "YYYY-MM-DD" of the instant in Asia/Jakarta (UTC+7 all year).
std::string JakartaDay(std::int64_t unix_ms);

// What the business has spent on `day` (0 when nothing).
Result<std::int64_t> SpentMilli(sql::Session& session, std::string_view business_id,
                                std::string_view day);
// Adds one call's cost and tokens to the day's total.
Status RecordSpend(sql::Session& tx, std::string_view org_id, std::string_view business_id,
                   std::string_view day, std::int64_t cost_milli, std::int64_t prompt_tokens,
                   std::int64_t completion_tokens);
// Marks the day's budget as announced; true only for the first caller of the day.
Result<bool> MarkBudgetAnnounced(sql::Session& tx, std::string_view org_id,
                                 std::string_view business_id, std::string_view day);

}  // namespace milkyhoop::chatbot
