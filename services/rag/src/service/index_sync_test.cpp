// The indexes' lifecycle through the service, as users of it see it: several processes on one
// database answer alike (change log), a restart starts from a snapshot and catches up, bad
// snapshots and a compacted log fall back to a rebuild. On SQLite and (with
// MILKYHOOP_TEST_PG_DSN) PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "change_log.hpp"
#include "index_snapshot.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::rag {
namespace {

using sqltest::Backend;
namespace fs = std::filesystem;
constexpr char kOrg[] = "org_1";
constexpr char kBiz[] = "biz_1";

// One "process": its own database handle, metrics and service.
struct Process {
  std::unique_ptr<sql::Database> db;
  metrics::Registry metrics;
  std::unique_ptr<RagServiceHost> host;

  std::uint64_t Counter(const char* name, metrics::Labels labels = {}) {
    return metrics.GetCounter(name, "", std::move(labels))->Value();
  }
  std::uint64_t Loads(const char* from) {
    return Counter("milkyhoop_rag_index_loads_total", {{"from", from}});
  }
};

class IndexSyncTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, sqltest::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateRagDatabase(store_->db()));
    snapshots_ =
        fs::temp_directory_path() / ("mh_rag_sync_" + std::to_string(::getpid()) + "_" +
                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(snapshots_);
  }
  void TearDown() override {
    processes_.clear();
    store_.reset();
    fs::remove_all(snapshots_);
  }

  RagOptions Options(bool snapshots) {
    RagOptions o;
    o.sync_interval_ms = 20;
    o.snapshot_interval_s = 0;  // at stop only: the tests decide when
    if (snapshots) o.snapshot_dir = snapshots_.string();
    return o;
  }

  Process& Start(RagOptions options) {
    auto p = std::make_unique<Process>();
    auto db = store_->OpenAnother();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    p->db = std::move(*db);
    p->host = MakeRagService(*p->db, clock_, std::move(options), &p->metrics);
    p->host->Start();
    processes_.push_back(std::move(p));
    return *processes_.back();
  }

  static std::string AddFaq(Process& p, const std::string& q, const std::string& a) {
    v1::CreateFaqRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_actor_id("usr_owner");
    req.set_question(q);
    req.set_answer(a);
    auto res = p.host->service().CreateFaq(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->faq().id() : "";
  }
  static void DeleteFaq(Process& p, const std::string& id) {
    v1::DeleteFaqRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_faq_id(id);
    MH_EXPECT_OK(p.host->service().DeleteFaq(req));
  }
  // The FAQ ids a search finds, best first.
  static std::vector<std::string> Search(Process& p, const std::string& query, int top_k = 20) {
    v1::SearchRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_query(query);
    req.set_top_k(top_k);
    auto res = p.host->service().Search(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> out;
    if (res.ok()) {
      for (const auto& r : res->results()) out.push_back(r.source_id());
    }
    return out;
  }
  // Ids and scores of a search, best first.
  static std::pair<std::vector<std::string>, std::vector<double>> Scores(Process& p,
                                                                         const std::string& query) {
    v1::SearchRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_query(query);
    req.set_top_k(20);
    std::pair<std::vector<std::string>, std::vector<double>> out;
    auto res = p.host->service().Search(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    if (!res.ok()) return out;
    for (const auto& r : res->results()) {
      out.first.push_back(r.source_id());
      out.second.push_back(r.score());
    }
    return out;
  }
  static bool Finds(Process& p, const std::string& query, const std::string& id) {
    auto ids = Search(p, query);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
  // Waits (bounded) for a condition another process's poll makes true.
  static bool Eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
  }
  void StopAll() {
    for (auto& p : processes_) p->host->Stop();
  }

  ManualClock clock_;
  std::unique_ptr<sqltest::TestDatabase> store_;
  fs::path snapshots_;
  std::vector<std::unique_ptr<Process>> processes_;
};

TEST_P(IndexSyncTest, AWriteThroughOneProcessIsSearchableThroughAnother) {
  Process& a = Start(Options(false));
  Process& b = Start(Options(false));
  // Both have the business's index loaded before the writes (the case events alone missed).
  EXPECT_TRUE(Search(a, "jam buka").empty());
  EXPECT_TRUE(Search(b, "jam buka").empty());

  const std::string faq = AddFaq(a, "Jam buka toko?", "Setiap hari jam 8 sampai 21.");
  EXPECT_TRUE(Finds(a, "jam buka", faq));  // the writer at once
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(Eventually([&] { return Finds(b, "jam buka", faq); }));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));

  DeleteFaq(b, faq);
  EXPECT_FALSE(Finds(b, "jam buka", faq));  // a deletion is honoured by the next search
  EXPECT_TRUE(Eventually([&] { return !Finds(a, "jam buka", faq); }));
}

TEST_P(IndexSyncTest, ConcurrentWritersThroughTwoProcessesLoseNoChange) {
  Process& a = Start(Options(false));
  Process& b = Start(Options(false));
  EXPECT_TRUE(Search(a, "layanan").empty());
  EXPECT_TRUE(Search(b, "layanan").empty());
  constexpr int kPerThread = 10;
  std::vector<std::string> ids[4];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Process& p = t % 2 == 0 ? a : b;
      for (int i = 0; i < kPerThread; ++i) {
        ids[t].push_back(AddFaq(p, "Layanan nomor " + std::to_string(t * 100 + i) + "?",
                                "Ada layanan " + std::to_string(t * 100 + i) + "."));
      }
    });
  }
  for (auto& t : threads) t.join();
  // Sequences committed out of order would leave a process without some FAQ for ever: both
  // must find every one.
  std::set<std::string> all;
  for (const auto& group : ids) all.insert(group.begin(), group.end());
  ASSERT_EQ(all.size(), 4u * kPerThread);
  for (Process* p : {&a, &b}) {
    EXPECT_TRUE(Eventually([&] {
      auto found = Search(*p, "layanan", 50);
      return std::set<std::string>(found.begin(), found.end()) == all;
    }));
  }
  auto log = store_->db().Query("SELECT COUNT(*), MIN(seq), MAX(seq) FROM index_changes");
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->Int(0, 0), 4 * kPerThread);
  EXPECT_EQ(log->Int(0, 1), 1);
  EXPECT_EQ(log->Int(0, 2), 4 * kPerThread);  // no gaps
}

TEST_P(IndexSyncTest, AnImportOfHundredsOfFaqsReachesTheOtherProcessWhole) {
  Process& a = Start(Options(false));
  Process& b = Start(Options(false));
  EXPECT_TRUE(Search(b, "kode").empty());
  std::string csv = "question,answer\n";
  constexpr int kFaqs = 1200;  // more than one catch-up batch and several FAQ read batches
  for (int i = 0; i < kFaqs; ++i) {
    csv += "Kode promo " + std::to_string(i) + "?,Promo " + std::to_string(i) + " berlaku.\n";
  }
  v1::ImportFaqsRequest req;
  req.set_org_id(kOrg);
  req.set_business_id(kBiz);
  req.set_format("csv");
  req.set_body(csv);
  auto imported = a.host->service().ImportFaqs(req);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  ASSERT_EQ(imported->imported(), kFaqs);
  // B has applied every entry (the counter moves once a batch is in the index)...
  EXPECT_TRUE(
      Eventually([&] { return b.Counter("milkyhoop_rag_index_catchup_changes_total") >= kFaqs; }));
  // ...and answers as A does: the same best FAQ, the same scores (passages of equal score may
  // come in another order: A loads its index from the tables after the import).
  for (const int i : {123, 499, 500, 999, 1000, kFaqs - 1}) {
    const std::string q = "kode promo " + std::to_string(i);
    const auto from_a = Scores(a, q), from_b = Scores(b, q);
    ASSERT_FALSE(from_b.first.empty()) << i;
    EXPECT_EQ(from_a.first.front(), from_b.first.front()) << i;
    EXPECT_EQ(from_a.second, from_b.second) << i;
  }
}

TEST_P(IndexSyncTest, ARestartLoadsTheSnapshotAndCatchesUpWithLaterChanges) {
  Process& first = Start(Options(true));
  const std::string kept = AddFaq(first, "Jam buka toko?", "Setiap hari jam 8 sampai 21.");
  const std::string removed = AddFaq(first, "Bisa bayar QRIS?", "Bisa, QRIS semua bank.");
  EXPECT_TRUE(Finds(first, "jam buka", kept));
  const auto before = Search(first, "jam buka qris");
  first.host->Stop();  // writes the snapshot
  ASSERT_TRUE(fs::exists(SnapshotPath(snapshots_, kOrg, kBiz)));
  EXPECT_EQ(first.Counter("milkyhoop_rag_index_snapshots_total", {{"outcome", "written"}}), 1u);

  // While it is down another process adds one FAQ and deletes another.
  Process& other = Start(Options(false));
  const std::string added = AddFaq(other, "Ada layanan antar?", "Ada, ongkir 5 ribu.");
  DeleteFaq(other, removed);
  other.host->Stop();

  Process& again = Start(Options(true));
  EXPECT_TRUE(Finds(again, "jam buka", kept));
  EXPECT_TRUE(Finds(again, "layanan antar", added));
  EXPECT_FALSE(Finds(again, "qris", removed));  // deleted after the snapshot: gone
  EXPECT_EQ(again.Loads("snapshot"), 1u);
  EXPECT_EQ(again.Loads("database"), 0u);
  EXPECT_EQ(again.Counter("milkyhoop_rag_index_catchup_changes_total"), 2u);
  auto after = Search(again, "jam buka qris");
  EXPECT_EQ(after, std::vector<std::string>{kept});
  EXPECT_EQ(before.front(), kept);
}

TEST_P(IndexSyncTest, ACorruptSnapshotIsIgnoredAndTheIndexRebuilt) {
  Process& first = Start(Options(true));
  const std::string faq = AddFaq(first, "Jam buka toko?", "Setiap hari jam 8 sampai 21.");
  EXPECT_TRUE(Finds(first, "jam buka", faq));
  first.host->Stop();
  const fs::path file = SnapshotPath(snapshots_, kOrg, kBiz);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) - 3));
    f.put('\x7f');
  }
  Process& again = Start(Options(true));
  EXPECT_TRUE(Finds(again, "jam buka", faq));
  EXPECT_EQ(again.Loads("snapshot"), 0u);
  EXPECT_EQ(again.Loads("database"), 1u);
  EXPECT_EQ(again.Counter("milkyhoop_rag_index_snapshots_total", {{"outcome", "refused"}}), 1u);
  again.host->Stop();  // and a good snapshot replaces the bad one
  EXPECT_TRUE(ReadSnapshot(file, kOrg, kBiz).ok());
}

TEST_P(IndexSyncTest, ASnapshotOlderThanTheCompactedLogIsRebuilt) {
  Process& first = Start(Options(true));
  const std::string faq = AddFaq(first, "Jam buka toko?", "Setiap hari jam 8 sampai 21.");
  EXPECT_TRUE(Finds(first, "jam buka", faq));
  first.host->Stop();

  Process& other = Start(Options(false));
  const std::string added = AddFaq(other, "Ada layanan antar?", "Ada, ongkir 5 ribu.");
  DeleteFaq(other, faq);
  other.host->Stop();
  // Two days later the log no longer holds those changes.
  clock_.Advance(std::chrono::hours(48));
  auto compacted = CompactChanges(store_->db(), clock_.NowUnixMillis() - 86'400'000, 100);
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  EXPECT_EQ(*compacted, 3);

  Process& again = Start(Options(true));
  EXPECT_TRUE(Finds(again, "layanan antar", added));
  EXPECT_FALSE(Finds(again, "jam buka", faq));
  EXPECT_EQ(again.Loads("snapshot"), 1u);  // read, found too old…
  EXPECT_EQ(again.Loads("database"), 1u);  // …and rebuilt
}

INSTANTIATE_TEST_SUITE_P(Backends, IndexSyncTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return sqltest::BackendName(info.param); });

}  // namespace
}  // namespace milkyhoop::rag
