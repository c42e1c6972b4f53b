// The backfill: passages stored while the embedding provider was down get their vectors once it
// answers again (without a restart), a concurrent edit wins over a vector of the old text, and
// the breaker keeps searches and writes away from a down provider meanwhile.
#include "embedding_backfill.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/sqltest/test_database.hpp"
#include "testing/fake_embeddings.hpp"

namespace milkyhoop::rag {
namespace {

using namespace std::chrono_literals;
using sqltest::Backend;
using testing::FakeEmbeddings;
constexpr char kOrg[] = "org_1";
constexpr char kBiz[] = "biz_1";

class EmbeddingBackfillTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, sqltest::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateRagDatabase(store_->db()));
  }

  std::string AddFaq(RagService& rag, const std::string& q, const std::string& a) {
    v1::CreateFaqRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_question(q);
    req.set_answer(a);
    auto res = rag.CreateFaq(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->faq().id() : "";
  }
  static Result<v1::SearchResponse> Search(RagService& rag, const std::string& query,
                                           const std::string& mode) {
    v1::SearchRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_query(query);
    req.set_mode(mode);
    return rag.Search(req);
  }
  // The model each FAQ's row says made its vector ("" when it has none).
  // The model each FAQ's stored vector is of ("" = none), in the order of `ids`.
  std::vector<std::string> StoredModels(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const std::string& id : ids) {
      auto rows = store_->db().Query("SELECT embedding_model FROM faqs WHERE id = $1", {id});
      EXPECT_TRUE(rows.ok() && rows->size() == 1) << id;
      out.push_back(rows.ok() && rows->size() == 1 ? rows->Text(0, 0) : "?");
    }
    return out;
  }
  // Waits for a condition that a background thread makes true (never a fixed sleep).
  static bool WaitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return done();
  }

  std::unique_ptr<sqltest::TestDatabase> store_;
};

TEST_P(EmbeddingBackfillTest, PassagesWrittenWhileTheProviderIsDownAreEmbeddedWhenItIsBack) {
  ManualClock clock;
  metrics::Registry metrics;
  auto provider = std::make_shared<FakeEmbeddings>();
  RagOptions options;
  options.embeddings = provider;
  // One failure opens it: with two, the backfill (woken by the first failed write) may try the
  // provider once more while the breaker is still closed, at a moment the test cannot know.
  options.embedding_failure_threshold = 1;
  options.embedding_cooldown_ms = 5000;
  auto host = MakeRagService(store_->db(), clock, options, &metrics);
  host->Start();
  RagService& rag = host->service();
  const std::string hours = AddFaq(rag, "Jam berapa toko buka?", "Setiap hari jam 8 pagi.");

  provider->down = true;
  const std::string park = AddFaq(rag, "Ada tempat parkir?", "Ada parkir motor di depan.");
  const std::string pay = AddFaq(rag, "Bisa bayar QRIS?", "Bisa QRIS dan transfer.");
  // The failed call opened the breaker, and the next write did not try: both stored without
  // vectors, keyword-searchable.
  EXPECT_EQ(StoredModels({hours, park, pay}), (std::vector<std::string>{"fake-16", "", ""}));
  auto gauge = [&] {
    const std::string text = metrics.Render();
    const auto at = text.find("\nmilkyhoop_rag_embedding_breaker_state ");
    return at == std::string::npos ? std::string("?") : text.substr(at + 39, 1);
  };
  EXPECT_EQ(gauge(), "1");
  const int calls = provider->calls.load();
  EXPECT_EQ(calls, 2);  // the first FAQ's, and the one that failed
  MH_ASSERT_OK_AND_ASSIGN(auto keyword, Search(rag, "parkir motor", "hybrid"));
  EXPECT_EQ(keyword.mode(), "keyword");
  ASSERT_FALSE(keyword.results().empty());
  EXPECT_EQ(keyword.results(0).source_id(), park);
  // Vector search says why it cannot answer, with when to retry.
  auto vector = Search(rag, "parkir motor", "vector");
  ASSERT_EQ(vector.status().code(), StatusCode::kUnavailable) << vector.status().ToString();
  EXPECT_EQ(RetryAfterSeconds(vector.status()), 5);
  // And none of that waited for the provider, nor did another write.
  const std::string wifi = AddFaq(rag, "Ada wifi?", "Ada, tanya kasir.");
  EXPECT_EQ(provider->calls.load(), calls);
  // Nor does the backfill before the cooldown: nothing is stored meanwhile.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(provider->calls.load(), calls);

  provider->down = false;
  clock.Advance(5s);  // the cooldown: the backfill's probe may go
  ASSERT_TRUE(WaitFor([&] {
    auto found = Search(rag, "parkir motor depan", "vector");
    return found.ok() && !found->results().empty() && found->results(0).source_id() == park;
  }));
  EXPECT_EQ(StoredModels({hours, park, pay, wifi}), (std::vector<std::string>(4, "fake-16")));
  EXPECT_EQ(gauge(), "0");
  // Counted once stored and applied, just after the search could find them.
  EXPECT_TRUE(WaitFor([&] {
    return metrics.GetCounter("milkyhoop_rag_embeddings_backfilled_total", "")->Value() == 3u;
  }));
  MH_ASSERT_OK_AND_ASSIGN(auto hybrid, Search(rag, "bayar QRIS", "hybrid"));
  EXPECT_EQ(hybrid.mode(), "hybrid");
  EXPECT_EQ(hybrid.results(0).source_id(), pay);
  host->Stop();
}

TEST_P(EmbeddingBackfillTest, AnEditMadeWhileTheOldTextIsEmbeddedWins) {
  ManualClock clock;
  FakeEmbeddings provider;
  CircuitBreaker breaker(clock, {});
  sql::Database& db = store_->db();
  for (const char* id : {"faq_a", "faq_b"}) {
    MH_ASSERT_OK(
        db.Exec("INSERT INTO faqs (id, org_id, business_id, question, answer, tags, "
                "embedding, embedding_model, created_by, created_at_ms, updated_at_ms) "
                "VALUES ($1, $2, $3, 'Ada parkir?', 'Ada.', '', '', '', '', 1, 1)",
                {std::string(id), std::string(kOrg), std::string(kBiz)}));
  }
  // The owner edits faq_b while the backfill embeds its old text.
  provider.before_answer = [&](const std::vector<std::string>&) {
    ASSERT_TRUE(db.Exec("UPDATE faqs SET answer = 'Tidak ada.' WHERE id = 'faq_b'").ok());
  };
  std::vector<std::vector<SourceRef>> recorded;
  int applied = 0;
  EmbeddingBackfill backfill(
      db, provider, breaker, {},
      [&](sql::Session& tx, const std::string& org_id, const std::string& business_id,
          const std::vector<SourceRef>& sources) {
        recorded.push_back(sources);
        return AppendChanges(tx, org_id, business_id, sources, 1);
      },
      [&](const std::string&, const std::string&) { ++applied; }, nullptr);
  EXPECT_EQ(backfill.RunRound(), EmbeddingBackfill::Round::kDone);
  auto rows = db.Query("SELECT id, embedding_model, embedding FROM faqs ORDER BY id");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Text(0, 1), "fake-16");
  EXPECT_FALSE(rows->Text(0, 2).empty());
  EXPECT_EQ(rows->Text(1, 1), "");  // the edited row kept no vector of its old text
  EXPECT_EQ(rows->Text(1, 2), "");
  ASSERT_EQ(recorded.size(), 1u);  // in the change log: only what changed
  ASSERT_EQ(recorded[0].size(), 1u);
  EXPECT_EQ(recorded[0][0].id, "faq_a");
  EXPECT_EQ(applied, 1);
  // The next round embeds the edited text.
  provider.before_answer = nullptr;
  EXPECT_EQ(backfill.RunRound(), EmbeddingBackfill::Round::kDone);
  rows = db.Query("SELECT embedding_model FROM faqs WHERE id = 'faq_b'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Text(0, 0), "fake-16");
  EXPECT_EQ(provider.texts_embedded.load(), 3);
  // Nothing missing: no provider call at all.
  EXPECT_EQ(backfill.RunRound(), EmbeddingBackfill::Round::kDone);
  EXPECT_EQ(provider.calls.load(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmbeddingBackfillTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return sqltest::BackendName(info.param); });

}  // namespace
}  // namespace milkyhoop::rag
