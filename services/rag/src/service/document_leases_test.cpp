// Documents in background ingestion with several rag processes on one database: a process that
// starts, or checks, leaves alone a document another live process is ingesting, and fails one
// whose process is gone once its lease has run out. On SQLite and (with MILKYHOOP_TEST_PG_DSN)
// PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::rag {
namespace {

using namespace std::chrono_literals;
using sqltest::Backend;
constexpr char kOrg[] = "org_1";
constexpr char kBiz[] = "biz_1";
constexpr int kLeaseMs = 2'000;  // checked and renewed every 500 ms of real time

// Embeddings that hold the caller until opened: a document stays in ingestion as long as the
// test wants.
class GatedEmbeddings final : public EmbeddingProvider {
 public:
  std::string model() const override { return "gated-4"; }
  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    std::unique_lock lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    return std::vector<std::vector<float>>(texts.size(), std::vector<float>{1, 0, 0, 0});
  }
  bool WaitEntered() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 20s, [this] { return entered_; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false, open_ = false;
};

class DocumentLeasesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, sqltest::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateRagDatabase(store_->db()));
  }
  void TearDown() override {
    gate_->Open();
    for (auto& host : hosts_) host->Stop();
    hosts_.clear();
    dbs_.clear();
    store_.reset();
  }

  // A rag "process": its own database handle and service, started.
  RagService& StartProcess() {
    auto db = store_->OpenAnother();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    dbs_.push_back(std::move(*db));
    RagOptions options;
    options.inline_ingest_bytes = 1024;
    options.document_lease_ms = kLeaseMs;
    options.sync_interval_ms = 20;
    options.embeddings = gate_;
    hosts_.push_back(MakeRagService(*dbs_.back(), clock_, std::move(options)));
    hosts_.back()->Start();
    return hosts_.back()->service();
  }

  static std::string AddLargeDocument(RagService& rag, const std::string& phrase) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "Paragraf " + std::to_string(i) + " tentang laundry.\n\n";
    text += phrase + "\n";
    v1::AddDocumentRequest add;
    add.set_org_id(kOrg);
    add.set_business_id(kBiz);
    add.set_title("Layanan");
    add.set_content_type("text/plain");
    add.set_content(text);
    auto added = rag.AddDocument(add);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    if (!added.ok()) return "";
    EXPECT_EQ(added->document().status(), "processing");
    return added->document().id();
  }

  static v1::Document Get(RagService& rag, const std::string& id) {
    v1::GetDocumentRequest get;
    get.set_org_id(kOrg);
    get.set_business_id(kBiz);
    get.set_document_id(id);
    auto got = rag.GetDocument(get);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? got->document() : v1::Document();
  }

  // The document's status once it is no longer "processing", or "processing" after 20 s.
  static std::string Settled(RagService& rag, const std::string& id) {
    std::string status = "processing";
    for (int i = 0; i < 400 && status == "processing"; ++i) {
      status = Get(rag, id).status();
      if (status == "processing") std::this_thread::sleep_for(50ms);
    }
    return status;
  }

  ManualClock clock_{ManualClock::TimePoint(std::chrono::milliseconds(1'715'742'000'000))};
  std::shared_ptr<GatedEmbeddings> gate_ = std::make_shared<GatedEmbeddings>();
  std::unique_ptr<sqltest::TestDatabase> store_;
  std::vector<std::unique_ptr<sql::Database>> dbs_;
  std::vector<std::unique_ptr<RagServiceHost>> hosts_;
};

TEST_P(DocumentLeasesTest, ADocumentInIngestionSurvivesAnotherProcessStartingAndChecking) {
  RagService& a = StartProcess();
  const std::string id = AddLargeDocument(a, "Antar jemput gratis di Sleman.");
  ASSERT_TRUE(gate_->WaitEntered());  // a's worker is ingesting it
  RagService& b = StartProcess();     // used to mark it failed here
  // Longer than the lease by the shared clock: a renews it, so b's checks leave it alone.
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(600ms);
    std::this_thread::sleep_for(1s);  // two checks of b's, and renewals of a's
  }
  EXPECT_EQ(Get(b, id).status(), "processing");
  gate_->Open();
  EXPECT_EQ(Settled(b, id), "indexed");
}

TEST_P(DocumentLeasesTest, ADocumentLeftByAProcessThatIsGoneFailsWhenItsLeaseRunsOut) {
  // What a process killed while ingesting leaves behind: the row "processing", its lease, and
  // chunks it had stored.
  const std::int64_t now = clock_.NowUnixMillis();
  MH_ASSERT_OK(store_->db()
                   .Exec("INSERT INTO documents (id, org_id, business_id, title, content_type, "
                         "filename, status, chunks, bytes, error, created_by, created_at_ms, "
                         "updated_at_ms, lease_owner, lease_until_ms) VALUES ('doc_dead', $1, "
                         "$2, 'Harga', 'text/plain', '', 'processing', 1, 100, '', '', $3, $3, "
                         "'ingest_dead', $4)",
                         {std::string(kOrg), std::string(kBiz), now, now + kLeaseMs})
                   .status());
  MH_ASSERT_OK(store_->db()
                   .Exec("INSERT INTO chunks (id, org_id, business_id, source_type, source_id, "
                         "ordinal, title, body, embedding, embedding_model, updated_at_ms) VALUES "
                         "('chk_dead', $1, $2, 'document', 'doc_dead', 0, 'Harga', 'cuci kering "
                         "setrika', '', '', $3)",
                         {std::string(kOrg), std::string(kBiz), now})
                   .status());
  RagService& b = StartProcess();
  std::this_thread::sleep_for(1200ms);  // two checks: the lease still holds
  EXPECT_EQ(Get(b, "doc_dead").status(), "processing");

  clock_.Advance(std::chrono::milliseconds(kLeaseMs + 1));
  EXPECT_EQ(Settled(b, "doc_dead"), "failed");
  EXPECT_NE(Get(b, "doc_dead").error().find("upload the file again"), std::string::npos);
  MH_ASSERT_OK_AND_ASSIGN(
      sql::Rows chunks,
      store_->db().Query("SELECT id FROM chunks WHERE source_id = 'doc_dead'", {}));
  EXPECT_EQ(chunks.size(), 0u);
}

TEST_P(DocumentLeasesTest, DocumentsAProcessStoppedBeforeIngestingFailAtTheNextStart) {
  RagService& a = StartProcess();
  const std::string first = AddLargeDocument(a, "Antar jemput gratis di Sleman.");
  ASSERT_TRUE(gate_->WaitEntered());
  const std::string second = AddLargeDocument(a, "Setrika saja Rp 5.000 per kilo.");
  // Stopping waits for the document in progress, and gives up the queued one.
  std::thread opener([this] {
    std::this_thread::sleep_for(200ms);
    gate_->Open();
  });
  hosts_.front()->Stop();
  opener.join();
  RagService& b = StartProcess();  // the same clock: no lease ran out on its own
  EXPECT_EQ(Get(b, first).status(), "indexed");
  EXPECT_EQ(Get(b, second).status(), "failed");
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentLeasesTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return sqltest::BackendName(info.param); });

}  // namespace
}  // namespace milkyhoop::rag
