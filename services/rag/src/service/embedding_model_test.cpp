// After a switch to another embedding model of the same dimension, the old model's vectors never
// meet the new model's query vectors: neither from the rows nor from a snapshot.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "embedding_codec.hpp"
#include "index_snapshot.hpp"
#include "index_sync.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"
#include "passage_rows.hpp"

namespace milkyhoop::rag {
namespace {

using sqltest::Backend;
namespace fs = std::filesystem;
constexpr char kOrg[] = "org_1";
constexpr char kBiz[] = "biz_1";

class EmbeddingModelTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, sqltest::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateRagDatabase(store_->db()));
    dir_ = fs::temp_directory_path() /
           ("mh_rag_model_" + std::to_string(::getpid()) + "_" + sqltest::BackendName(GetParam()));
    fs::remove_all(dir_);
    // Two FAQs of the old model, one of the new, one without a vector; all of one dimension.
    Insert("faq_old1", "Ada parkir?", "m-old");
    Insert("faq_old2", "Bisa QRIS?", "m-old");
    Insert("faq_new", "Jam buka?", "m-new");
    Insert("faq_none", "Ada wifi?", "");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Insert(const std::string& id, const std::string& question, const std::string& model) {
    const std::string vector = model.empty() ? "" : EncodeEmbedding({0.6f, 0.8f, 0.0f});
    MH_ASSERT_OK(store_->db().Exec(
        "INSERT INTO faqs (id, org_id, business_id, question, answer, tags, embedding, "
        "embedding_model, created_by, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, "
        "'Ya.', '', $5, $6, '', 1, 1)",
        {id, std::string(kOrg), std::string(kBiz), question, vector, model}));
  }
  IndexSyncOptions Options(const std::string& model) {
    IndexSyncOptions o;
    o.snapshot_dir = dir_;
    o.embedding_model = model;
    return o;
  }
  static std::size_t Vectors(const KnowledgeIndex& index) {
    return index.vectors() ? index.vectors()->size() : 0;
  }

  SystemClock clock_;
  std::unique_ptr<sqltest::TestDatabase> store_;
  fs::path dir_;
};

TEST_P(EmbeddingModelTest, RowsOfAnotherModelLoadWithoutTheirVectors) {
  std::vector<Passage> passages;
  MH_ASSERT_OK(store_->db().Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(passages, LoadBusinessPassages(s, kOrg, kBiz, "m-new"));
    return Status::Ok();
  }));
  ASSERT_EQ(passages.size(), 4u);
  for (const Passage& p : passages) {
    EXPECT_EQ(p.embedding.empty(), p.source_id != "faq_new") << p.source_id;
  }
  // Through the index: only the configured model's vector is searchable by vector; every
  // passage by keyword.
  metrics::Registry metrics;
  IndexSyncOptions options = Options("m-new");
  options.snapshot_dir.clear();
  IndexSync sync(store_->db(), clock_, options, &metrics);
  MH_ASSERT_OK_AND_ASSIGN(auto index, sync.Get(kOrg, kBiz));
  EXPECT_EQ(Vectors(*index), 1u);
  EXPECT_EQ(index->size(), 4u);
  // Without a provider no vector is loaded at all (none would ever be searched).
  IndexSync none(store_->db(), clock_, IndexSyncOptions{}, nullptr);
  MH_ASSERT_OK_AND_ASSIGN(auto keyword_only, none.Get(kOrg, kBiz));
  EXPECT_EQ(Vectors(*keyword_only), 0u);
}

TEST_P(EmbeddingModelTest, ASnapshotOfAnotherModelIsRebuiltFromTheRows) {
  {
    IndexSync old_sync(store_->db(), clock_, Options("m-old"), nullptr);
    MH_ASSERT_OK_AND_ASSIGN(auto index, old_sync.Get(kOrg, kBiz));
    ASSERT_EQ(Vectors(*index), 2u);
    MH_ASSERT_OK(old_sync.WriteSnapshots());
  }
  auto image = ReadSnapshot(SnapshotPath(dir_, kOrg, kBiz), kOrg, kBiz);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->embedding_model, "m-old");

  metrics::Registry metrics;
  IndexSync new_sync(store_->db(), clock_, Options("m-new"), &metrics);
  MH_ASSERT_OK_AND_ASSIGN(auto index, new_sync.Get(kOrg, kBiz));
  // Refused (rebuilt from the rows): the old model's vectors stay out, and the row a process
  // with the new model embedded meanwhile comes in.
  EXPECT_EQ(
      metrics.GetCounter("milkyhoop_rag_index_loads_total", "", {{"from", "database"}})->Value(),
      1u);
  EXPECT_EQ(metrics.GetCounter("milkyhoop_rag_index_snapshots_total", "", {{"outcome", "refused"}})
                ->Value(),
            1u);
  EXPECT_EQ(Vectors(*index), 1u);
  EXPECT_EQ(index->size(), 4u);
  EXPECT_EQ(index->keyword().Search("parkir", 3).hits.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmbeddingModelTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return sqltest::BackendName(info.param); });

}  // namespace
}  // namespace milkyhoop::rag
