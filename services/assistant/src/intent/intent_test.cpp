#include "milkyhoop/assistant/intent.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace milkyhoop::assistant {
namespace {

nlohmann::json Json(const ParsedUtterance& p) {
  return nlohmann::json::parse(EntitiesJson(p.intent, p.entities));
}

TEST(IntentNames, MatchTheEvalFile) {
  EXPECT_EQ(IntentName(Intent::kRecordSale), "record_sale");
  EXPECT_EQ(IntentName(Intent::kReportTopProducts), "report_top_products");
  EXPECT_EQ(IntentName(Intent::kReportLowStock), "report_low_stock");
  EXPECT_EQ(IntentName(Intent::kVoidLast), "void_last");
  EXPECT_EQ(IntentName(Intent::kUnknown), "unknown");
  EXPECT_EQ(PeriodName(Period::kLastWeek), "last_week");
  EXPECT_EQ(PeriodName(Period::kThisMonth), "this_month");
}

TEST(EntitiesJson, HasOnlyTheKeysOfTheIntent) {
  Entities e;
  e.items.push_back({"kaos \"polos\"", 10, std::nullopt, "pcs"});
  e.category = "listrik";
  e.amount = 350000;
  e.product = "gula";
  e.delta = -3;
  e.period = Period::kYesterday;
  EXPECT_EQ(nlohmann::json::parse(EntitiesJson(Intent::kRecordSale, e)),
            nlohmann::json::parse(
                R"({"items":[{"name":"kaos \"polos\"","quantity":10,"unit_price":null}]})"));
  EXPECT_EQ(EntitiesJson(Intent::kRecordExpense, e), R"({"category":"listrik","amount":350000})");
  EXPECT_EQ(EntitiesJson(Intent::kStockQuery, e), R"({"product":"gula"})");
  EXPECT_EQ(EntitiesJson(Intent::kStockAdjust, e), R"({"product":"gula","delta":-3})");
  EXPECT_EQ(EntitiesJson(Intent::kReportSales, e), R"({"period":"yesterday"})");
  EXPECT_EQ(EntitiesJson(Intent::kReportLowStock, e), "{}");
  EXPECT_EQ(EntitiesJson(Intent::kConfirm, e), "{}");
}

TEST(ParseOwnerUtterance, ReadsASaleReadyToDraft) {
  const auto p = ParseOwnerUtterance("jual 10 kaos @45rb");
  EXPECT_EQ(p.intent, Intent::kRecordSale);
  ASSERT_EQ(p.entities.items.size(), 1u);
  EXPECT_EQ(p.entities.items[0].name, "kaos");
  EXPECT_EQ(p.entities.items[0].quantity, 10);
  EXPECT_EQ(p.entities.items[0].unit_price, 45000);
  EXPECT_TRUE(p.problems.empty());
  EXPECT_FALSE(p.open_pos);
  EXPECT_EQ(p.language, "id");
}

TEST(ParseOwnerUtterance, DetectsEnglishForTheReply) {
  EXPECT_EQ(ParseOwnerUtterance("sold 12 donuts at 5k each").language, "en");
  EXPECT_EQ(ParseOwnerUtterance("what's my profit this month").language, "en");
  EXPECT_EQ(ParseOwnerUtterance("untung bulan ini berapa?").language, "id");
}

TEST(ParseOwnerUtterance, ReportsDefaultToThisMonthExceptLowStock) {
  EXPECT_EQ(Json(ParseOwnerUtterance("barang paling laku apa?")),
            nlohmann::json::parse(R"({"period":"this_month"})"));
  EXPECT_EQ(Json(ParseOwnerUtterance("untung berapa")),
            nlohmann::json::parse(R"({"period":"this_month"})"));
  const auto low = ParseOwnerUtterance("stok apa aja yang mau habis?");
  EXPECT_EQ(low.intent, Intent::kReportLowStock);
  EXPECT_FALSE(low.entities.period.has_value());
}

TEST(ParseOwnerUtterance, TellsRepliesFromSentencesContainingReplyWords) {
  EXPECT_EQ(ParseOwnerUtterance("ya").intent, Intent::kConfirm);
  EXPECT_EQ(ParseOwnerUtterance("Oke, simpan!").intent, Intent::kConfirm);
  EXPECT_EQ(ParseOwnerUtterance("gak jadi deh").intent, Intent::kCancel);
  EXPECT_EQ(ParseOwnerUtterance("ya, batal aja").intent, Intent::kCancel);  // cancel wins
  EXPECT_EQ(ParseOwnerUtterance("besok hujan ga ya").intent, Intent::kUnknown);
  EXPECT_EQ(ParseOwnerUtterance("batalkan transaksi terakhir").intent, Intent::kVoidLast);
}

TEST(ParseOwnerUtterance, TellsReportsFromTransactions) {
  EXPECT_EQ(ParseOwnerUtterance("penjualan kemarin dapat berapa").intent, Intent::kReportSales);
  EXPECT_EQ(ParseOwnerUtterance("penjualan 1 kodi sarung harga 1,2jt").intent, Intent::kRecordSale);
  EXPECT_EQ(ParseOwnerUtterance("how much did i sell today").intent, Intent::kReportSales);
  EXPECT_EQ(ParseOwnerUtterance("how much is the charger").intent, Intent::kPriceQuery);
}

TEST(ParseOwnerUtterance, ReadsExpensesAndStockChanges) {
  auto p = ParseOwnerUtterance("spent 120k on fuel");
  EXPECT_EQ(p.intent, Intent::kRecordExpense);
  EXPECT_EQ(p.entities.category, "bensin");
  EXPECT_EQ(p.entities.amount, 120000);
  p = ParseOwnerUtterance("bayar parkir 5000");
  EXPECT_EQ(p.entities.category, "parkir");
  EXPECT_EQ(p.entities.amount, 5000);
  p = ParseOwnerUtterance("kurangi stok telur 2 lusin pecah");
  EXPECT_EQ(p.intent, Intent::kStockAdjust);
  EXPECT_EQ(p.entities.product, "telur");
  EXPECT_EQ(p.entities.delta, -24);
  p = ParseOwnerUtterance("tambah stok gula");
  EXPECT_EQ(p.intent, Intent::kStockAdjust);
  EXPECT_FALSE(p.entities.delta.has_value());
  EXPECT_FALSE(p.problems.empty());
}

}  // namespace
}  // namespace milkyhoop::assistant
