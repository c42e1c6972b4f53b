#include "draft.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace milkyhoop::assistant::owner {
namespace {

Draft Sale() {
  Draft d;
  d.id = "adr_test";
  d.kind = DraftKind::kSale;
  DraftLine line;
  line.spoken = "kaos";
  line.name = "Kaos";
  line.product_id = "prd_1";
  line.quantity = 10;
  line.unit_price = 45000;
  d.lines.push_back(line);
  d.expires_at_ms = 1'715'743'800'000;
  return d;
}

TEST(Draft, SummaryReadsLikeTheOwnerWouldSayIt) {
  EXPECT_EQ(DraftSummary(Sale(), "id"),
            "Catat penjualan 10 Kaos @ Rp 45.000 = Rp 450.000? (ya/batal)");
  EXPECT_EQ(DraftSummary(Sale(), "en"),
            "Record a sale of 10 Kaos @ Rp 45.000 = Rp 450.000? (yes/cancel)");
  Draft two = Sale();
  DraftLine tea;
  tea.spoken = tea.name = "es teh";
  tea.quantity = 5;
  tea.unit_price = 4000;
  tea.unit = "gelas";
  two.lines.push_back(tea);
  EXPECT_EQ(DraftSummary(two, "id"),
            "Catat penjualan 10 Kaos @ Rp 45.000 + 5 gelas es teh @ Rp 4.000 = Rp 470.000? "
            "(ya/batal)");
  Draft expense;
  expense.kind = DraftKind::kExpense;
  expense.category = "listrik";
  expense.amount = 350000;
  EXPECT_EQ(DraftSummary(expense, "id"), "Catat pengeluaran listrik Rp 350.000? (ya/batal)");
}

TEST(Draft, WhatIsMissingIsAskedFirstThingFirst) {
  Draft d = Sale();
  EXPECT_EQ(FirstNeed(d).what, Need::What::kNothing);
  d.lines[0].unit_price.reset();
  EXPECT_EQ(FirstNeed(d).what, Need::What::kPrice);
  EXPECT_EQ(NeedQuestion(d, "id"), "Berapa harga satuan Kaos?");
  d.lines[0].choices = {{"p1", "Kaos Hitam"}, {"p2", "Kaos Putih"}};
  EXPECT_EQ(FirstNeed(d).what, Need::What::kProductChoice);
  EXPECT_EQ(NeedQuestion(d, "id"),
            "kaos yang mana? 1) Kaos Hitam 2) Kaos Putih (balas nomor atau namanya)");
  EXPECT_FALSE(DraftTotal(d).has_value());
}

TEST(Draft, TotalsRefuseOverflowInsteadOfWrapping) {
  Draft d = Sale();
  d.lines[0].quantity = 1'000'000;
  d.lines[0].unit_price = 999'999'999'999;
  EXPECT_FALSE(DraftTotal(d).has_value());
}

TEST(Draft, RoundTripsThroughJsonAndRejectsForeignText) {
  Draft d = Sale();
  d.lines[0].choices = {{"p1", "Kaos \"Hitam\""}};
  d.source_text = "jual 10 kaos @45rb 🙏";
  const auto back = DraftFromJson(DraftToJson(d));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(DraftToJson(*back), DraftToJson(d));
  EXPECT_FALSE(DraftFromJson("").has_value());
  EXPECT_FALSE(DraftFromJson("{\"v\":2}").has_value());
  EXPECT_FALSE(DraftFromJson("{\"v\":1,\"id\":3}").has_value());
}

TEST(Draft, ActionDataCarriesTheLinesAndTheExpiry) {
  const auto data = nlohmann::json::parse(DraftActionJson(Sale()));
  EXPECT_EQ(data["type"], "sale");
  EXPECT_EQ(data["total"], 450000);
  EXPECT_EQ(data["items"][0]["product_id"], "prd_1");
  EXPECT_EQ(data["items"][0]["line_total"], 450000);
  EXPECT_EQ(data["expires_at"], "2024-05-15T03:30:00Z");
}

}  // namespace
}  // namespace milkyhoop::assistant::owner
