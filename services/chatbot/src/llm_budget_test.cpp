#include "llm_budget.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::chatbot {
namespace {

TEST(PriceTable, PricesKnownModelsAndDefaultsTheRest) {
  PriceTable prices({{"gpt-4o-mini", {3, 12}}}, {5, 15});
  // 1,000 prompt tokens at Rp 3/1k = Rp 3 = 3,000 milli; 500 completion at Rp 12/1k = Rp 6.
  EXPECT_EQ(prices.CostMilli("gpt-4o-mini", 1000, 500), 3000 + 6000);
  EXPECT_EQ(prices.CostMilli("unknown-model", 1000, 1000), 5000 + 15000);
  EXPECT_EQ(prices.CostMilli("gpt-4o-mini", -5, 0), 0);
}

TEST(JakartaDay, IsUtcPlusSeven) {
  // 2024-05-01T16:59:59Z is 23:59:59 in Jakarta; one second later it is 2 May there.
  EXPECT_EQ(JakartaDay(1714582799000), "2024-05-01");
  EXPECT_EQ(JakartaDay(1714582800000), "2024-05-02");
  EXPECT_EQ(JakartaDay(0), "1970-01-01");
  EXPECT_EQ(JakartaDay(951782400000), "2000-02-29");  // 2000-02-29T00:00Z, leap day
}

TEST(LlmSpend, SumsPerBusinessAndDayAndAnnouncesOnce) {
  MH_ASSERT_OK_AND_ASSIGN(auto store, sqltest::TestDatabase::Open(sqltest::Backend::kSqlite));
  MH_ASSERT_OK(MigrateChatbotDatabase(store->db()));
  sql::Database& db = store->db();
  MH_ASSERT_OK(db.Transaction([](sql::Session& tx) -> Status {
    MH_TRY(RecordSpend(tx, "org_a", "biz_a", "2024-05-01", 1500, 100, 20));
    MH_TRY(RecordSpend(tx, "org_a", "biz_a", "2024-05-01", 500, 10, 2));
    return RecordSpend(tx, "org_a", "biz_a", "2024-05-02", 7, 1, 1);
  }));
  std::int64_t day1 = -1, day2 = -1, other = -1;
  MH_ASSERT_OK(db.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(day1, SpentMilli(s, "biz_a", "2024-05-01"));
    MH_ASSIGN_OR_RETURN(day2, SpentMilli(s, "biz_a", "2024-05-02"));
    MH_ASSIGN_OR_RETURN(other, SpentMilli(s, "biz_b", "2024-05-01"));
    return Status::Ok();
  }));
  EXPECT_EQ(day1, 2000);
  EXPECT_EQ(day2, 7);
  EXPECT_EQ(other, 0);
  bool first = false, second = true;
  MH_ASSERT_OK(db.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(first, MarkBudgetAnnounced(tx, "org_a", "biz_a", "2024-05-01"));
    MH_ASSIGN_OR_RETURN(second, MarkBudgetAnnounced(tx, "org_a", "biz_a", "2024-05-01"));
    return Status::Ok();
  }));
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
}

}  // namespace
}  // namespace milkyhoop::chatbot
