// Contract of BusinessService for transactions, voids, idempotency, the concurrency of sales and
// the reports, run in-process and over gRPC on every backend.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/business_fixture.hpp"

namespace milkyhoop::business {
namespace {

using testing::BusinessContractTest;
using testing::FieldOf;
using testing::Idr;

// Unix ms of a Jakarta wall-clock time (UTC+7) on 2024-05-<day>.
std::int64_t JakartaMay(int day, int hour) {
  return (1'714'521'600LL + (day - 1) * 86'400LL + (hour - 7) * 3'600LL) * 1000;
}

TEST_P(BusinessContractTest, SaleComputesTotalsMovesStockAndAppendsItsEvent) {
  const v1::Business b = CreateBusiness("org_a", "Toko Kaos");
  const v1::Product kaos = CreateProduct(b, "Kaos Polos", 45000, 30000, 20);
  v1::PostTransactionRequest req = Txn(b, "sale");
  AddItem(&req, kaos.id(), "", 10, 45000);
  AddItem(&req, "", "Sablon nama", 2, 15000);
  *req.mutable_discount() = Idr(20000);
  *req.mutable_tax() = Idr(11000);
  req.set_payment_method("qris");
  MH_ASSERT_OK_AND_ASSIGN(auto posted, Svc().PostTransaction(req));
  const v1::Transaction& t = posted.transaction();
  EXPECT_EQ(t.type(), "sale");
  EXPECT_EQ(t.status(), "posted");
  EXPECT_EQ(t.items(0).name(), "Kaos Polos");
  EXPECT_EQ(t.items(0).line_total().amount(), 450000);
  EXPECT_EQ(t.items(1).line_total().amount(), 30000);
  EXPECT_EQ(t.subtotal().amount(), 480000);
  EXPECT_EQ(t.discount().amount(), 20000);
  EXPECT_EQ(t.tax().amount(), 11000);
  EXPECT_EQ(t.total().amount(), 471000);
  EXPECT_EQ(t.cost_of_goods_sold().amount(), 300000);
  EXPECT_TRUE(t.paid());
  EXPECT_EQ(Stock(b, kaos.id()), 10);

  MH_ASSERT_OK_AND_ASSIGN(auto outbox, sql::FetchUnsentOutbox(Db(), 100));
  std::vector<sql::OutboxEvent> events;
  for (auto& e : outbox) {
    if (e.type == kTransactionPostedEvent) events.push_back(e);
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, kTransactionPostedEvent);
  EXPECT_EQ(events[0].tenant_id, "org_a");
  v1::TransactionPosted payload;
  ASSERT_TRUE(payload.ParseFromString(events[0].payload));
  EXPECT_EQ(payload.transaction().id(), t.id());
  EXPECT_EQ(payload.transaction().total().amount(), 471000);

  v1::GetTransactionRequest get;
  get.set_org_id("org_a");
  get.set_transaction_id(t.id());
  MH_ASSERT_OK_AND_ASSIGN(auto got, Svc().GetTransaction(get));
  EXPECT_EQ(got.transaction().SerializeAsString(), t.SerializeAsString());
  get.set_org_id("org_b");
  EXPECT_EQ(Svc().GetTransaction(get).status().code(), StatusCode::kNotFound);
}

TEST_P(BusinessContractTest, PurchasesMoveTheAverageCostThatSalesThenCost) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Gula 1kg", 18000, 12000, 10);
  v1::PostTransactionRequest buy = Txn(b, "purchase");
  AddItem(&buy, p.id(), "", 30, 14000);
  MH_ASSERT_OK_AND_ASSIGN(auto bought, Svc().PostTransaction(buy));
  EXPECT_EQ(bought.transaction().total().amount(), 420000);
  // (10 x 12000 + 30 x 14000) / 40 = 13500
  v1::GetProductRequest get;
  get.set_org_id(b.org_id());
  get.set_business_id(b.id());
  get.set_product_id(p.id());
  MH_ASSERT_OK_AND_ASSIGN(auto after, Svc().GetProduct(get));
  EXPECT_EQ(after.product().cost().amount(), 13500);
  EXPECT_EQ(after.product().stock(), 40);
  MH_ASSERT_OK_AND_ASSIGN(auto sold, Sell(b, p, 4, 18000));
  EXPECT_EQ(sold.transaction().cost_of_goods_sold().amount(), 54000);
}

TEST_P(BusinessContractTest, SaleBeyondStockIsRefusedAndWritesNothing) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Kaos", 45000, 30000, 3);
  MH_ASSERT_OK_AND_ASSIGN(const auto unsent_before, sql::CountUnsentOutbox(Db()));
  auto refused = Sell(b, p, 4, 45000);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(refused.status()), "items[0].quantity");
  EXPECT_EQ(Stock(b, p.id()), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM transactions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM daily_totals"), 0);
  MH_ASSERT_OK_AND_ASSIGN(auto unsent, sql::CountUnsentOutbox(Db()));
  EXPECT_EQ(unsent, unsent_before);

  const v1::Business lenient = CreateBusiness("org_a", "Toko Bebas", true);
  const v1::Product q = CreateProduct(lenient, "Pulsa", 10000, 9000, 1);
  MH_ASSERT_OK(Sell(lenient, q, 3, 10000));
  EXPECT_EQ(Stock(lenient, q.id()), -2);
}

TEST_P(BusinessContractTest, BadTransactionsNameTheFieldAndWriteNothing) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Kaos", 45000, 30000, 100);
  const v1::Business other = CreateBusiness("org_b", "Lain");
  const v1::Product foreign = CreateProduct(other, "Kaos", 45000, 30000, 100);
  struct Case {
    std::string field;
    std::function<void(v1::PostTransactionRequest&)> mutate;
  };
  const std::vector<Case> cases = {
      {"type", [](auto& r) { r.set_type("gift"); }},
      {"items", [](auto& r) { r.clear_items(); }},
      {"items[0].quantity", [](auto& r) { r.mutable_items(0)->set_quantity(-1); }},
      {"items[0].quantity", [](auto& r) { r.mutable_items(0)->set_quantity(0); }},
      {"items[0].unit_price.amount",
       [](auto& r) { r.mutable_items(0)->mutable_unit_price()->set_amount(0); }},
      {"items[0].unit_price.amount",
       [](auto& r) { r.mutable_items(0)->mutable_unit_price()->set_amount(-5); }},
      {"items[0].unit_price.currency",
       [](auto& r) { r.mutable_items(0)->mutable_unit_price()->set_currency("USD"); }},
      {"items[0].product_id", [](auto& r) { r.mutable_items(0)->set_product_id("prd_nope"); }},
      {"items[0].product_id", [&](auto& r) { r.mutable_items(0)->set_product_id(foreign.id()); }},
      {"items[0].quantity",
       [](auto& r) {
         r.mutable_items(0)->set_quantity(1'000'000'000);
         r.mutable_items(0)->mutable_unit_price()->set_amount(INT64_MAX / 2);
       }},
      {"items",
       [](auto& r) {
         for (int i = 0; i < 2; ++i) {
           auto* item = r.add_items();
           item->set_name("mahal");
           item->set_quantity(1);
           *item->mutable_unit_price() = Idr(INT64_MAX / 2 + 1);
         }
       }},
      {"discount.currency", [](auto& r) { r.mutable_discount()->set_currency("USD"); }},
      {"discount", [](auto& r) { *r.mutable_discount() = Idr(45001); }},
      {"tax", [](auto& r) { *r.mutable_tax() = Idr(INT64_MAX); }},
      {"occurred_at", [](auto& r) { r.set_occurred_at_ms(900'000'000'000); }},
      {"occurred_at", [](auto& r) { r.set_occurred_at_ms(testing::kStartMs + 2 * 86'400'000); }},
      {"items[1].name",
       [](auto& r) {
         auto* item = r.add_items();
         item->set_quantity(1);
         *item->mutable_unit_price() = Idr(1000);
       }},
      {"customer_id", [](auto& r) { r.set_customer_id("cus_nope"); }},
  };
  for (const Case& c : cases) {
    v1::PostTransactionRequest req = Txn(b, "sale");
    AddItem(&req, p.id(), "", 1, 45000);
    c.mutate(req);
    auto res = Svc().PostTransaction(req);
    EXPECT_EQ(res.status().code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(FieldOf(res.status()), c.field) << res.status().ToString();
  }
  v1::PostTransactionRequest expense = Txn(b, "expense");
  AddItem(&expense, p.id(), "Listrik", 1, 100000);
  EXPECT_EQ(FieldOf(Svc().PostTransaction(expense).status()), "items[0].product_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM transactions"), 0);
  EXPECT_EQ(Stock(b, p.id()), 100);
}

TEST_P(BusinessContractTest, IdempotencyKeyReplaysTheFirstResponse) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Kaos", 45000, 30000, 10);
  v1::PostTransactionRequest req = Txn(b, "sale");
  AddItem(&req, p.id(), "", 2, 45000);
  req.set_idempotency_key("jual-kaos-1");
  MH_ASSERT_OK_AND_ASSIGN(auto first, Svc().PostTransaction(req));
  EXPECT_FALSE(first.replayed());
  clock_.Advance(std::chrono::minutes(5));
  MH_ASSERT_OK_AND_ASSIGN(auto again, Svc().PostTransaction(req));
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.transaction().SerializeAsString(), first.transaction().SerializeAsString());
  EXPECT_EQ(Stock(b, p.id()), 8);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM transactions"), 1);

  req.mutable_items(0)->set_quantity(3);
  EXPECT_EQ(Svc().PostTransaction(req).status().code(), StatusCode::kFailedPrecondition);
  // The key is per business: another business may use the same one.
  const v1::Business b2 = CreateBusiness("org_a", "Toko 2");
  const v1::Product p2 = CreateProduct(b2, "Kaos", 45000, 30000, 10);
  v1::PostTransactionRequest other = Txn(b2, "sale");
  AddItem(&other, p2.id(), "", 1, 45000);
  other.set_idempotency_key("jual-kaos-1");
  MH_ASSERT_OK_AND_ASSIGN(auto separate, Svc().PostTransaction(other));
  EXPECT_FALSE(separate.replayed());
}

TEST_P(BusinessContractTest, VoidPostsAReversalRestoresStockAndCorrectsReports) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Kaos", 45000, 30000, 10);
  MH_ASSERT_OK_AND_ASSIGN(auto kept, Sell(b, p, 1, 45000));
  MH_ASSERT_OK_AND_ASSIGN(auto sold, Sell(b, p, 3, 45000));
  EXPECT_EQ(Stock(b, p.id()), 6);
  clock_.Advance(std::chrono::hours(24 * 3));

  v1::VoidTransactionRequest void_req;
  void_req.set_org_id("org_b");
  void_req.set_transaction_id(sold.transaction().id());
  void_req.set_actor_id("usr_b");
  EXPECT_EQ(Svc().VoidTransaction(void_req).status().code(), StatusCode::kNotFound);
  void_req.set_org_id("org_a");
  void_req.set_reason("salah input");
  MH_ASSERT_OK_AND_ASSIGN(auto voided, Svc().VoidTransaction(void_req));
  EXPECT_EQ(voided.transaction().status(), "voided");
  EXPECT_EQ(voided.transaction().reversal_id(), voided.reversal().id());
  EXPECT_EQ(voided.reversal().type(), "void");
  EXPECT_EQ(voided.reversal().reverses_id(), sold.transaction().id());
  EXPECT_EQ(voided.reversal().total().amount(), -135000);
  EXPECT_EQ(Stock(b, p.id()), 9);
  EXPECT_EQ(Svc().VoidTransaction(void_req).status().code(), StatusCode::kFailedPrecondition);

  v1::ProfitLossRequest pl;
  pl.mutable_range()->set_org_id("org_a");
  pl.mutable_range()->set_business_id(b.id());
  pl.mutable_range()->set_from("2024-05-01");
  pl.mutable_range()->set_to("2024-05-31");
  MH_ASSERT_OK_AND_ASSIGN(auto report, Svc().ProfitLoss(pl));
  EXPECT_EQ(report.revenue().amount(), 45000);
  EXPECT_EQ(report.cost_of_goods_sold().amount(), 30000);
  EXPECT_EQ(report.net_profit().amount(), 15000);

  v1::ListTransactionsRequest list;
  list.set_org_id("org_a");
  list.set_business_id(b.id());
  MH_ASSERT_OK_AND_ASSIGN(auto all, Svc().ListTransactions(list));
  ASSERT_EQ(all.items_size(), 3);
  EXPECT_EQ(all.items(0).type(), "void");  // newest first
  list.set_type("sale");
  MH_ASSERT_OK_AND_ASSIGN(auto sales, Svc().ListTransactions(list));
  EXPECT_EQ(sales.items_size(), 2);
}

TEST_P(BusinessContractTest, FiftyConcurrentSalesForTenUnitsSellExactlyTen) {
  const v1::Business b = CreateBusiness("org_a", "Toko Rebutan");
  const v1::Product p = CreateProduct(b, "Tiket Konser", 500000, 400000, 10);
  std::atomic<int> ok{0}, out_of_stock{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto res = Sell(b, p, 1, 500000);
      if (res.ok()) {
        ++ok;
      } else if (res.status().code() == StatusCode::kFailedPrecondition) {
        ++out_of_stock;
      } else {
        ++other;
        ADD_FAILURE() << res.status().ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(out_of_stock.load(), 40);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Stock(b, p.id()), 0);
  EXPECT_EQ(Count("SELECT MIN(stock_after) FROM stock_movements"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM transactions"), 10);
  EXPECT_EQ(Count("SELECT SUM(sales_count) FROM daily_totals"), 10);
}

TEST_P(BusinessContractTest, ReportsComeFromTheAggregatesInTheBusinessTimeZone) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product kaos = CreateProduct(b, "Kaos", 45000, 30000, 50, 5);
  const v1::Product topi = CreateProduct(b, "Topi", 25000, 10000, 20, 5);
  const v1::Product tas = CreateProduct(b, "Tas", 90000, 60000, 4, 5);  // low stock, unsold
  clock_.Advance(std::chrono::hours(24 * 30));
  auto post = [&](const std::string& type, const std::string& product_id, std::int64_t qty,
                  std::int64_t price, std::int64_t at) {
    v1::PostTransactionRequest req = Txn(b, type);
    AddItem(&req, product_id, product_id.empty() ? "Biaya" : "", qty, price);
    req.set_occurred_at_ms(at);
    auto res = Svc().PostTransaction(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
  };
  // 23:30 Jakarta on May 5 is 16:30 UTC: it belongs to May 5, not May 6 or May 5 UTC's evening.
  post("sale", kaos.id(), 2, 45000, JakartaMay(5, 23) + 30 * 60'000);
  // 00:30 Jakarta on May 6 is still May 5 in UTC: it belongs to May 6.
  post("sale", topi.id(), 4, 25000, JakartaMay(6, 0) + 30 * 60'000);
  post("sale", kaos.id(), 1, 45000, JakartaMay(13, 10));  // the next ISO week
  post("expense", "", 1, 50000, JakartaMay(13, 11));
  post("purchase", topi.id(), 10, 10000, JakartaMay(14, 9));
  post("sale", kaos.id(), 1, 45000, JakartaMay(31, 20));
  post("sale", kaos.id(), 1, 45000, JakartaMay(32, 1));  // June 1: outside May

  v1::ReportRange range;
  range.set_org_id("org_a");
  range.set_business_id(b.id());
  range.set_from("2024-05-01");
  range.set_to("2024-05-31");
  v1::ProfitLossRequest pl;
  *pl.mutable_range() = range;
  MH_ASSERT_OK_AND_ASSIGN(auto report, Svc().ProfitLoss(pl));
  EXPECT_EQ(report.revenue().amount(), 4 * 45000 + 4 * 25000);
  EXPECT_EQ(report.cost_of_goods_sold().amount(), 4 * 30000 + 4 * 10000);
  EXPECT_EQ(report.gross_profit().amount(), 280000 - 160000);
  EXPECT_EQ(report.expenses().amount(), 50000);
  EXPECT_EQ(report.net_profit().amount(), 70000);
  EXPECT_EQ(report.purchases().amount(), 100000);
  EXPECT_EQ(report.revenue().currency(), "IDR");

  v1::SalesReportRequest daily;
  *daily.mutable_range() = range;
  daily.mutable_range()->set_from("2024-05-05");
  daily.mutable_range()->set_to("2024-05-06");
  MH_ASSERT_OK_AND_ASSIGN(auto days, Svc().SalesReport(daily));
  ASSERT_EQ(days.series_size(), 2);
  EXPECT_EQ(days.series(0).period(), "2024-05-05");
  EXPECT_EQ(days.series(0).revenue().amount(), 90000);
  EXPECT_EQ(days.series(1).period(), "2024-05-06");
  EXPECT_EQ(days.series(1).revenue().amount(), 100000);

  v1::SalesReportRequest weekly;
  *weekly.mutable_range() = range;
  weekly.set_group_by("week");
  MH_ASSERT_OK_AND_ASSIGN(auto weeks, Svc().SalesReport(weekly));
  // May 2024: weeks starting Apr 29, May 6, 13, 20, 27.
  ASSERT_EQ(weeks.series_size(), 5);
  EXPECT_EQ(weeks.series(0).period(), "2024-04-29");
  EXPECT_EQ(weeks.series(0).revenue().amount(), 90000);
  EXPECT_EQ(weeks.series(1).revenue().amount(), 100000);
  EXPECT_EQ(weeks.series(2).revenue().amount(), 45000);
  EXPECT_EQ(weeks.series(2).transactions(), 1);
  EXPECT_EQ(weeks.series(4).revenue().amount(), 45000);

  v1::SalesReportRequest monthly;
  *monthly.mutable_range() = range;
  monthly.mutable_range()->set_to("2024-06-30");
  monthly.set_group_by("month");
  MH_ASSERT_OK_AND_ASSIGN(auto months, Svc().SalesReport(monthly));
  ASSERT_EQ(months.series_size(), 2);
  EXPECT_EQ(months.series(0).period(), "2024-05");
  EXPECT_EQ(months.series(0).transactions(), 4);
  EXPECT_EQ(months.series(1).revenue().amount(), 45000);
  monthly.set_group_by("year");
  EXPECT_EQ(FieldOf(Svc().SalesReport(monthly).status()), "group_by");

  v1::TopProductsRequest top;
  *top.mutable_range() = range;
  MH_ASSERT_OK_AND_ASSIGN(auto best, Svc().TopProducts(top));
  ASSERT_EQ(best.items_size(), 2);
  EXPECT_EQ(best.items(0).name(), "Kaos");
  EXPECT_EQ(best.items(0).quantity(), 4);
  EXPECT_EQ(best.items(0).revenue().amount(), 180000);
  EXPECT_EQ(best.items(1).name(), "Topi");
  top.set_ascending(true);
  MH_ASSERT_OK_AND_ASSIGN(auto slow, Svc().TopProducts(top));
  ASSERT_EQ(slow.items_size(), 3);
  EXPECT_EQ(slow.items(0).name(), "Tas");
  EXPECT_EQ(slow.items(0).quantity(), 0);

  v1::LowStockRequest low;
  low.set_org_id("org_a");
  low.set_business_id(b.id());
  MH_ASSERT_OK_AND_ASSIGN(auto lows, Svc().LowStock(low));
  ASSERT_EQ(lows.items_size(), 1);
  EXPECT_EQ(lows.items(0).id(), tas.id());

  v1::ProfitLossRequest bad = pl;
  bad.mutable_range()->set_from("2024-02-30");
  EXPECT_EQ(FieldOf(Svc().ProfitLoss(bad).status()), "from");
  bad.mutable_range()->set_from("2024-06-01");
  EXPECT_EQ(FieldOf(Svc().ProfitLoss(bad).status()), "from");
  bad.mutable_range()->set_org_id("org_b");
  EXPECT_EQ(Svc().ProfitLoss(bad).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace milkyhoop::business
