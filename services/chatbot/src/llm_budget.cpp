#include "llm_budget.hpp"

#include <cstdio>

namespace milkyhoop::chatbot {

std::int64_t PriceTable::CostMilli(std::string_view model, std::int64_t prompt_tokens,
                                   std::int64_t completion_tokens) const {
  auto it = prices_.find(model);
  const ModelPrice& p = it == prices_.end() ? default_price_ : it->second;
  return std::max<std::int64_t>(0, prompt_tokens) * p.prompt_per_1k +
         std::max<std::int64_t>(0, completion_tokens) * p.completion_per_1k;
}

std::string JakartaDay(std::int64_t unix_ms) {
  constexpr std::int64_t kDayMs = 86'400'000;
  constexpr std::int64_t kOffsetMs = 7 * 3'600'000;
  std::int64_t local = unix_ms + kOffsetMs;
  std::int64_t days = local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const std::int64_t doe = days - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];  // room for any int64 fields, though a real year has 4 digits
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

Result<std::int64_t> SpentMilli(sql::Session& session, std::string_view business_id,
                                std::string_view day) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      session.Query("SELECT spent_milli FROM llm_spend WHERE business_id = $1 "
                                    "AND day = $2",
                                    {std::string(business_id), std::string(day)}));
  return rows.empty() ? 0 : rows.Int(0, 0);
}

namespace {
Status EnsureRow(sql::Session& tx, std::string_view org_id, std::string_view business_id,
                 std::string_view day) {
  return tx
      .Exec(
          "INSERT INTO llm_spend (business_id, day, org_id, spent_milli, prompt_tokens, "
          "completion_tokens, announced) VALUES ($1, $2, $3, 0, 0, 0, 0) "
          "ON CONFLICT (business_id, day) DO NOTHING",
          {std::string(business_id), std::string(day), std::string(org_id)})
      .status();
}
}  // namespace

Status RecordSpend(sql::Session& tx, std::string_view org_id, std::string_view business_id,
                   std::string_view day, std::int64_t cost_milli, std::int64_t prompt_tokens,
                   std::int64_t completion_tokens) {
  MH_TRY(EnsureRow(tx, org_id, business_id, day));
  return tx
      .Exec(
          "UPDATE llm_spend SET spent_milli = spent_milli + $3, "
          "prompt_tokens = prompt_tokens + $4, completion_tokens = completion_tokens + $5 "
          "WHERE business_id = $1 AND day = $2",
          {std::string(business_id), std::string(day), cost_milli, prompt_tokens,
           completion_tokens})
      .status();
}

Result<bool> MarkBudgetAnnounced(sql::Session& tx, std::string_view org_id,
                                 std::string_view business_id, std::string_view day) {
  MH_TRY(EnsureRow(tx, org_id, business_id, day));
  MH_ASSIGN_OR_RETURN(std::int64_t changed,
                      tx.Exec("UPDATE llm_spend SET announced = 1 WHERE business_id = $1 "
                              "AND day = $2 AND announced = 0",
                              {std::string(business_id), std::string(day)}));
  return changed == 1;
}

}  // namespace milkyhoop::chatbot
