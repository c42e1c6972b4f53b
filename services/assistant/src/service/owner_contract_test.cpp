// Contract of owner mode: chat bookkeeping against the real business service, in-process and
// over gRPC, on SQLite and PostgreSQL. Every figure is checked to the rupiah.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "assistant_test_fixture.hpp"
#include "owner_assistant.hpp"

namespace milkyhoop::assistant {
namespace {

using nlohmann::json;
using testing::AssistantTest;
using testing::ParamName;
namespace bv1 = business::v1;

bv1::Money Idr(std::int64_t amount) {
  bv1::Money m;
  m.set_amount(amount);
  m.set_currency("IDR");
  return m;
}

class OwnerContractTest : public AssistantTest {
 protected:
  void SetUp() override {
    AssistantTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    bv1::CreateBusinessRequest req;
    req.set_org_id("org_a");
    req.set_actor_id("usr_owner");
    req.set_name("Toko Sari");
    req.set_currency("IDR");
    MH_ASSERT_OK_AND_ASSIGN(auto created, businesses_->CreateBusiness(req));
    business_ = created.business().id();
    kaos_ = AddProduct("Kaos", 45000, 30000, 100, 5, "pcs");
    AddProduct("Beras", 13000, 12000, 200, 10, "kg");
    gula_ = AddProduct("Gula", 15000, 12000, 30, 5, "kg");
    AddProduct("Teh Botol", 5000, 3000, 50, 5, "pcs");
    AddProduct("Teh Kotak", 4000, 2500, 50, 5, "pcs");
    AddProduct("Topi", 25000, 15000, 2, 5, "pcs");
  }

  std::string AddProduct(const std::string& name, std::int64_t price, std::int64_t cost,
                         std::int64_t stock, std::int64_t min_stock, const std::string& unit) {
    bv1::CreateProductRequest req;
    req.set_org_id("org_a");
    req.set_business_id(business_);
    req.set_actor_id("usr_owner");
    req.set_name(name);
    *req.mutable_price() = Idr(price);
    *req.mutable_cost() = Idr(cost);
    req.set_stock(stock);
    req.set_min_stock(min_stock);
    req.set_unit(unit);
    auto res = businesses_->CreateProduct(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->product().id() : "";
  }

  // One owner turn in the session (a new one when session_ is empty).
  v1::OwnerChatResponse Say(const std::string& text, const std::string& user = "usr_owner") {
    v1::OwnerChatRequest req;
    req.set_org_id("org_a");
    req.set_business_id(business_);
    req.set_user_id(user);
    req.set_session_id(session_);
    req.set_message(text);
    auto res = Svc().OwnerChat(req);
    EXPECT_TRUE(res.ok()) << text << ": " << res.status().ToString();
    if (!res.ok()) return {};
    session_ = res->session_id();
    return *res;
  }

  std::vector<bv1::Transaction> Transactions() {
    bv1::ListTransactionsRequest req;
    req.set_org_id("org_a");
    req.set_business_id(business_);
    req.set_limit(200);
    auto res = businesses_->ListTransactions(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? std::vector<bv1::Transaction>(res->items().begin(), res->items().end())
                    : std::vector<bv1::Transaction>{};
  }

  std::int64_t Stock(const std::string& product_id) {
    bv1::GetProductRequest req;
    req.set_org_id("org_a");
    req.set_business_id(business_);
    req.set_product_id(product_id);
    auto res = businesses_->GetProduct(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->product().stock() : -1;
  }

  static json Data(const v1::OwnerChatResponse& r) {
    return r.action().data_json().empty() ? json() : json::parse(r.action().data_json());
  }

  std::string business_;
  std::string kaos_, gula_;
  std::string session_;
};

TEST_P(OwnerContractTest, ASaleIsDraftedShownBackAndPostedOnceOnYa) {
  auto r = Say("jual 10 kaos @45rb");
  EXPECT_EQ(r.intent(), "record_sale");
  EXPECT_EQ(json::parse(r.entities_json()),
            json::parse(R"({"items":[{"name":"kaos","quantity":10,"unit_price":45000}]})"));
  EXPECT_EQ(r.reply(), "Catat penjualan 10 Kaos @ Rp 45.000 = Rp 450.000? (ya/batal)");
  EXPECT_EQ(r.action().type(), "transaction_draft");
  EXPECT_EQ(Data(r)["total"], 450000);
  EXPECT_EQ(Data(r)["items"][0]["product_id"], kaos_);
  EXPECT_TRUE(Transactions().empty()) << "a draft posts nothing";

  r = Say("ya");
  EXPECT_EQ(r.intent(), "confirm");
  EXPECT_EQ(r.action().type(), "transaction_posted");
  EXPECT_EQ(Data(r)["total"], 450000);
  EXPECT_EQ(Data(r)["replayed"], false);
  auto posted = Transactions();
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].type(), "sale");
  EXPECT_EQ(posted[0].total().amount(), 450000);
  EXPECT_EQ(posted[0].items(0).product_id(), kaos_);
  EXPECT_EQ(Data(r)["transaction_id"], posted[0].id());
  EXPECT_EQ(Stock(kaos_), 90);

  // A second "ya" finds nothing to confirm.
  r = Say("ya");
  EXPECT_FALSE(r.has_action());
  EXPECT_EQ(r.reply(), "Tidak ada transaksi yang menunggu konfirmasi.");
  EXPECT_EQ(Transactions().size(), 1u);
  EXPECT_EQ(Stock(kaos_), 90);
}

TEST_P(OwnerContractTest, ConcurrentConfirmationsPostOnce) {
  Say("jual 2 kaos @45rb");
  const std::string session = session_;
  std::atomic<int> posted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      v1::OwnerChatRequest req;
      req.set_org_id("org_a");
      req.set_business_id(business_);
      req.set_user_id("usr_owner");
      req.set_session_id(session);
      req.set_message("ya");
      auto res = Svc().OwnerChat(req);
      if (res.ok() && res->action().type() == "transaction_posted") ++posted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(posted.load(), 1);
  EXPECT_EQ(Transactions().size(), 1u);
  EXPECT_EQ(Stock(kaos_), 98);
}

TEST_P(OwnerContractTest, ASaleWithoutAPriceSellsAtTheCataloguePrice) {
  auto r = Say("jual 3 kaos");
  EXPECT_EQ(r.reply(), "Catat penjualan 3 Kaos @ Rp 45.000 = Rp 135.000? (ya/batal)");
  Say("ya");
  ASSERT_EQ(Transactions().size(), 1u);
  EXPECT_EQ(Transactions()[0].total().amount(), 135000);
}

TEST_P(OwnerContractTest, DraftsExpireAfterThirtyMinutes) {
  Say("jual 10 kaos @45rb");
  clock_.Advance(std::chrono::minutes(29));
  auto r = Say("jual 1 topi");  // replaces the draft; its 30 minutes start now
  EXPECT_EQ(r.action().type(), "transaction_draft");
  clock_.Advance(std::chrono::minutes(31));
  r = Say("ya");
  EXPECT_FALSE(r.has_action());
  EXPECT_NE(r.reply().find("kedaluwarsa"), std::string::npos) << r.reply();
  EXPECT_TRUE(Transactions().empty());
  EXPECT_EQ(Say("ya").reply(), "Tidak ada transaksi yang menunggu konfirmasi.");
}

TEST_P(OwnerContractTest, BatalDropsTheDraft) {
  Say("jual 10 kaos @45rb");
  auto r = Say("batal");
  EXPECT_EQ(r.intent(), "cancel");
  EXPECT_EQ(r.reply(), "Oke, dibatalkan. Tidak ada yang dicatat.");
  r = Say("ya");
  EXPECT_FALSE(r.has_action());
  EXPECT_TRUE(Transactions().empty());
  EXPECT_EQ(Stock(kaos_), 100);
}

TEST_P(OwnerContractTest, AnAmbiguousProductIsAskedAboutAndTheAnswerCompletesTheDraft) {
  auto r = Say("jual 2 teh");
  EXPECT_FALSE(r.has_action()) << "no draft while the product is unclear";
  EXPECT_NE(r.reply().find("Teh Botol"), std::string::npos) << r.reply();
  EXPECT_NE(r.reply().find("Teh Kotak"), std::string::npos) << r.reply();
  EXPECT_EQ(Say("ya").reply().find("Tercatat"), std::string::npos);
  EXPECT_TRUE(Transactions().empty());
  r = Say("teh kotak");
  EXPECT_EQ(r.intent(), "record_sale");
  EXPECT_EQ(r.reply(), "Catat penjualan 2 Teh Kotak @ Rp 4.000 = Rp 8.000? (ya/batal)");
  Say("ya");
  ASSERT_EQ(Transactions().size(), 1u);
  EXPECT_EQ(Transactions()[0].total().amount(), 8000);
}

TEST_P(OwnerContractTest, AnUnknownProductIsSaidAndPostedByNameWithoutStock) {
  auto r = Say("jual 2 bakwan");
  EXPECT_FALSE(r.has_action());
  EXPECT_EQ(r.reply(), "\"bakwan\" belum ada di katalog. Berapa harga satuan bakwan?");
  r = Say("2rb");
  EXPECT_EQ(r.action().type(), "transaction_draft");
  EXPECT_NE(r.reply().find("Catat penjualan 2 bakwan @ Rp 2.000 = Rp 4.000? (ya/batal)"),
            std::string::npos);
  EXPECT_NE(r.reply().find("belum ada di katalog"), std::string::npos);
  EXPECT_TRUE(Data(r)["items"][0]["product_id"].is_null());
  Say("ya");
  auto posted = Transactions();
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].items(0).product_id(), "");
  EXPECT_EQ(posted[0].items(0).name(), "bakwan");
  EXPECT_EQ(posted[0].total().amount(), 4000);
}

TEST_P(OwnerContractTest, ExpensesAndPurchasesAreDraftedAndPosted) {
  auto r = Say("bayar listrik 350rb");
  EXPECT_EQ(r.reply(), "Catat pengeluaran listrik Rp 350.000? (ya/batal)");
  Say("ya");
  r = Say("beli 50 kg beras @12.000");
  EXPECT_EQ(r.reply(), "Catat pembelian 50 kg Beras @ Rp 12.000 = Rp 600.000? (ya/batal)");
  Say("ya");
  r = Say("bayar listrik");
  EXPECT_EQ(r.reply(), "Berapa jumlah pengeluaran listrik?");
  r = Say("50 ribu");
  EXPECT_EQ(r.intent(), "record_expense");
  EXPECT_EQ(r.reply(), "Catat pengeluaran listrik Rp 50.000? (ya/batal)");
  Say("batal");
  // The two confirmed drafts, and not the cancelled one (listed newest first; both may fall in
  // the same millisecond, so compare without order).
  std::map<std::string, std::int64_t> totals;
  for (const auto& t : Transactions()) totals[t.type()] += t.total().amount();
  EXPECT_EQ(totals,
            (std::map<std::string, std::int64_t>{{"expense", 350000}, {"purchase", 600000}}));
}

TEST_P(OwnerContractTest, ReportsAnswerToTheRupiahForThePeriodAsked) {
  Say("jual 10 kaos @45rb");
  Say("ya");
  Say("keluar uang bensin 50 ribu");
  Say("ya");
  Say("beli 10 kg gula @12rb");  // stock, not an expense
  Say("ya");
  auto r = Say("untung bulan ini berapa?");
  EXPECT_EQ(r.intent(), "report_profit");
  EXPECT_EQ(r.reply(),
            "Untung bersih bulan ini Rp 100.000 (omzet Rp 450.000, HPP Rp 300.000, biaya Rp "
            "50.000).");
  EXPECT_EQ(r.action().type(), "report");
  EXPECT_EQ(Data(r)["net_profit"], 100000);
  EXPECT_EQ(Data(r)["from"], "2024-05-01");
  EXPECT_EQ(Data(r)["to"], "2024-05-15");
  EXPECT_EQ(Say("what's my profit this month").reply(),
            "Net profit this month Rp 100.000 (revenue Rp 450.000, cost of goods Rp 300.000, "
            "expenses Rp 50.000).");
  EXPECT_EQ(Say("omzet hari ini berapa").reply(),
            "Omzet hari ini Rp 450.000 dari 1 transaksi penjualan.");
  EXPECT_EQ(Say("barang paling laku apa?").reply(),
            "Terlaris bulan ini: 1) Kaos 10 terjual (Rp 450.000).");
  EXPECT_NE(Say("stok apa aja yang mau habis?").reply().find("Topi 2 pcs (min 5)"),
            std::string::npos);
  EXPECT_EQ(Say("rugi gak bulan lalu?").reply(),
            "Untung bersih bulan lalu Rp 0 (omzet Rp 0, HPP Rp 0, biaya Rp 0).");
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Say("penjualan kemarin dapat berapa").reply(),
            "Omzet kemarin Rp 450.000 dari 1 transaksi penjualan.");
  EXPECT_EQ(Say("omzet hari ini berapa").reply(),
            "Omzet hari ini Rp 0 dari 0 transaksi penjualan.");
}

TEST_P(OwnerContractTest, StockAndPriceQuestionsAndAdjustments) {
  EXPECT_EQ(Say("stok kaos tinggal berapa?").reply(), "Stok Kaos tinggal 100 pcs.");
  EXPECT_EQ(Say("harga kaos berapa sekarang?").reply(), "Harga Kaos Rp 45.000 / pcs.");
  auto r = Say("tambah stok gula 20");
  EXPECT_EQ(r.intent(), "stock_adjust");
  EXPECT_EQ(r.reply(), "Stok Gula ditambah 20 kg, sekarang 50 kg.");
  EXPECT_EQ(Stock(gula_), 50);
  r = Say("kurangi stok gula 3 pecah");
  EXPECT_EQ(r.reply(), "Stok Gula dikurangi 3 kg, sekarang 47 kg.");
  bv1::ListStockAdjustmentsRequest req;
  req.set_org_id("org_a");
  req.set_business_id(business_);
  req.set_product_id(gula_);
  MH_ASSERT_OK_AND_ASSIGN(auto adjustments, businesses_->ListStockAdjustments(req));
  ASSERT_GE(adjustments.items_size(), 2);
  EXPECT_EQ(adjustments.items(adjustments.items_size() - 1).reason(),
            "asisten: kurangi stok gula 3 pecah");
  EXPECT_EQ(Say("stok sepatu berapa").reply(), "Produk \"sepatu\" tidak ada di katalog.");
}

TEST_P(OwnerContractTest, VoidLastDraftsTheReversalAndYaRestoresStock) {
  Say("jual 10 kaos @45rb");
  Say("ya");
  auto r = Say("batalkan transaksi terakhir");
  EXPECT_EQ(r.intent(), "void_last");
  EXPECT_EQ(r.reply(), "Batalkan transaksi terakhir: penjualan Rp 450.000 (10 Kaos)? (ya/batal)");
  EXPECT_EQ(Stock(kaos_), 90);
  r = Say("ya");
  EXPECT_EQ(r.action().type(), "transaction_posted");
  EXPECT_EQ(Stock(kaos_), 100);
  EXPECT_EQ(Say("untung hari ini").reply(),
            "Untung bersih hari ini Rp 0 (omzet Rp 0, HPP Rp 0, biaya Rp 0).");
  EXPECT_EQ(Say("yang tadi salah, hapus aja").reply(), "Transaksi terakhir sudah dibatalkan.");
}

TEST_P(OwnerContractTest, RobustInputsGetAClearReplyAndPostNothing) {
  auto r = Say("asdkjh qwe zzz");
  EXPECT_EQ(r.intent(), "unknown");
  EXPECT_NE(r.reply().find("Contoh"), std::string::npos);
  r = Say("jual -5 kaos");
  EXPECT_FALSE(r.has_action());
  EXPECT_NE(r.reply().find("jumlah harus lebih dari 0"), std::string::npos) << r.reply();
  Say("ya");
  r = Say("jual 99999999999999 kaos");
  EXPECT_FALSE(r.has_action());
  EXPECT_NE(r.reply().find("jumlah terlalu besar"), std::string::npos) << r.reply();
  Say("ya");
  r = Say("jual 10 kaos @45rb 🙏😀");
  EXPECT_EQ(r.reply(), "Catat penjualan 10 Kaos @ Rp 45.000 = Rp 450.000? (ya/batal)");
  Say("batal");
  r = Say("مرحبا كيف حالك 你好");
  EXPECT_EQ(r.intent(), "unknown");
  std::string emoji;
  for (int i = 0; i < 2000; ++i) emoji += "\xF0\x9F\x98\x80";
  EXPECT_EQ(Say(emoji).intent(), "unknown");
  Say("ya");
  EXPECT_TRUE(Transactions().empty());
  EXPECT_EQ(Stock(kaos_), 100);

  // Over 2,000 characters, or not text: refused naming the field.
  v1::OwnerChatRequest req;
  req.set_org_id("org_a");
  req.set_business_id(business_);
  req.set_user_id("usr_owner");
  req.set_message(std::string(10'000, 'a'));
  auto refused = Svc().OwnerChat(req);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  ASSERT_FALSE(refused.status().field_errors().empty());
  EXPECT_EQ(refused.status().field_errors()[0].field, "message");
  req.set_message("");
  EXPECT_EQ(Svc().OwnerChat(req).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(OwnerContractTest, ABareJualOpensThePos) {
  auto r = Say("jual");
  EXPECT_EQ(r.intent(), "record_sale");
  EXPECT_EQ(r.action().type(), "open_pos");
}

TEST_P(OwnerContractTest, SessionsBelongToTheirBusinessAndUser) {
  Say("jual 10 kaos @45rb");
  v1::OwnerChatRequest req;
  req.set_org_id("org_a");
  req.set_business_id(business_);
  req.set_user_id("usr_other");
  req.set_session_id(session_);
  req.set_message("ya");
  EXPECT_EQ(Svc().OwnerChat(req).status().code(), StatusCode::kNotFound);
  req.set_user_id("usr_owner");
  req.set_org_id("org_b");
  EXPECT_EQ(Svc().OwnerChat(req).status().code(), StatusCode::kNotFound);
  req.set_org_id("org_a");
  req.set_business_id("biz_other");
  EXPECT_EQ(Svc().OwnerChat(req).status().code(), StatusCode::kNotFound);
  req.set_business_id(business_);
  req.set_session_id("not-a-session");
  EXPECT_EQ(Svc().OwnerChat(req).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Transactions().empty());

  // Every turn is stored with its intent, entities and action, newest first.
  Say("ya");
  v1::ListOwnerTurnsRequest list;
  list.set_org_id("org_a");
  list.set_business_id(business_);
  list.set_session_id(session_);
  MH_ASSERT_OK_AND_ASSIGN(auto turns, Svc().ListOwnerTurns(list));
  ASSERT_EQ(turns.items_size(), 2);
  EXPECT_EQ(turns.items(0).intent(), "confirm");
  EXPECT_EQ(turns.items(0).action().type(), "transaction_posted");
  EXPECT_EQ(turns.items(1).text(), "jual 10 kaos @45rb");
  EXPECT_EQ(turns.items(1).action().type(), "transaction_draft");
  EXPECT_EQ(json::parse(turns.items(1).entities_json())["items"][0]["quantity"], 10);
  list.set_org_id("org_b");
  MH_ASSERT_OK_AND_ASSIGN(auto none, Svc().ListOwnerTurns(list));
  EXPECT_EQ(none.items_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(All, OwnerContractTest,
                         ::testing::Combine(::testing::Values(testing::Backend::kSqlite,
                                                              testing::Backend::kPostgres),
                                            ::testing::Values(testing::Transport::kInProcess,
                                                              testing::Transport::kGrpc)),
                         testing::ParamName);

// An LLM step whose readings the test decides, counting what it is asked.
class ScriptedFallback final : public IntentFallback {
 public:
  std::optional<ParsedUtterance> Parse(std::string_view text) const override {
    std::lock_guard lock(mu_);
    asked_.emplace_back(text);
    auto it = readings_.find(std::string(text));
    if (it == readings_.end()) return std::nullopt;
    return it->second;
  }
  void Read(const std::string& text, ParsedUtterance reading) {
    std::lock_guard lock(mu_);
    readings_[text] = std::move(reading);
  }
  std::vector<std::string> Asked() const {
    std::lock_guard lock(mu_);
    return asked_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<std::string> asked_;
  std::map<std::string, ParsedUtterance> readings_;
};

class OwnerLlmStepTest : public OwnerContractTest {
 protected:
  void SetUp() override {
    intent_fallback_ = &llm_;
    OwnerContractTest::SetUp();
  }

  std::vector<v1::OwnerTurn> Turns() {
    v1::ListOwnerTurnsRequest list;
    list.set_org_id("org_a");
    list.set_business_id(business_);
    list.set_limit(50);
    auto res = Svc().ListOwnerTurns(list);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? std::vector<v1::OwnerTurn>(res->items().begin(), res->items().end())
                    : std::vector<v1::OwnerTurn>{};
  }

  ScriptedFallback llm_;
};

TEST_P(OwnerLlmStepTest, WhatOnlyTheLlmReadsIsDraftedAndPostedOnlyOnYa) {
  const std::string text = "td ada yg ambil kaos 3 biji, 45 rebuan";
  ParsedUtterance reading;
  reading.intent = Intent::kRecordSale;
  reading.entities.items.push_back(
      {.name = "kaos", .quantity = 3, .unit_price = 45000, .unit = ""});
  llm_.Read(text, reading);
  ASSERT_EQ(ParseOwnerUtterance(text).intent, Intent::kUnknown) << "the rules must not read it";

  auto r = Say(text);
  EXPECT_EQ(r.intent(), "record_sale");
  EXPECT_EQ(r.reply(), "Catat penjualan 3 Kaos @ Rp 45.000 = Rp 135.000? (ya/batal)");
  EXPECT_EQ(r.action().type(), "transaction_draft");
  EXPECT_TRUE(Transactions().empty()) << "the LLM's reading is a draft, never a posting";

  r = Say("ya");
  EXPECT_EQ(r.action().type(), "transaction_posted");
  ASSERT_EQ(Transactions().size(), 1u);
  EXPECT_EQ(Transactions()[0].total().amount(), 135000);
  EXPECT_EQ(Stock(kaos_), 97);

  const auto turns = Turns();  // newest first
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[1].parsed_by(), "llm");
  EXPECT_EQ(turns[1].intent(), "record_sale");
  EXPECT_EQ(turns[0].parsed_by(), "rules");
  EXPECT_EQ(llm_.Asked(), std::vector<std::string>{text}) << "\"ya\" is the rules' to read";
}

TEST_P(OwnerLlmStepTest, TheLlmIsAskedOnlyWhatTheRulesCannotRead) {
  Say("jual 2 kaos @45rb");
  Say("batal");
  Say("untung bulan ini berapa?");
  EXPECT_TRUE(llm_.Asked().empty());
}

TEST_P(OwnerLlmStepTest, NoReadingFromTheLlmAnswersWithHelp) {
  auto r = Say("asdf qwerty zxcv");
  EXPECT_EQ(r.intent(), "unknown");
  EXPECT_EQ(r.reply(), owner::HelpReply("id"));
  EXPECT_FALSE(r.has_action());
  EXPECT_EQ(llm_.Asked().size(), 1u);
  const auto turns = Turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].parsed_by(), "rules");
  EXPECT_TRUE(Transactions().empty());
}

INSTANTIATE_TEST_SUITE_P(All, OwnerLlmStepTest,
                         ::testing::Combine(::testing::Values(testing::Backend::kSqlite,
                                                              testing::Backend::kPostgres),
                                            ::testing::Values(testing::Transport::kInProcess,
                                                              testing::Transport::kGrpc)),
                         testing::ParamName);

}  // namespace
}  // namespace milkyhoop::assistant
