// SQLite-only behaviour: file handling, pragmas, the reader/writer split, placeholder rules.
#include <sqlite3.h>

#include <filesystem>

#include "testing/sql_test_support.hpp"

namespace milkyhoop::sql::testing {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override { MH_ASSERT_OK_AND_ASSIGN(db_, scratch_.Open()); }
  void TearDown() override { db_.reset(); }

  Scratch scratch_{Backend::kSqlite};
  std::unique_ptr<Database> db_;
};

TEST(SqliteOpenTest, RefusesInMemoryDatabases) {
  SqliteOptions options;
  options.path = ":memory:";
  EXPECT_EQ(OpenSqlite(options).status().code(), StatusCode::kInvalidArgument);
  options.path = "";
  EXPECT_EQ(OpenSqlite(options).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteTest, CreatesMissingParentDirectories) {
  EXPECT_TRUE(std::filesystem::exists(scratch_.sqlite_options().path));
  EXPECT_EQ(db_->Describe(), "sqlite:" + scratch_.sqlite_options().path);
}

TEST_F(SqliteTest, UsesWalAndEnforcesForeignKeys) {
  MH_ASSERT_OK_AND_ASSIGN(Rows journal, db_->Query("PRAGMA journal_mode"));
  EXPECT_EQ(journal.Text(0, 0), "wal");
  MH_ASSERT_OK(db_->Exec("CREATE TABLE parent (id TEXT PRIMARY KEY)"));
  MH_ASSERT_OK(db_->Exec(
      "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))"));
  auto orphan = db_->Exec("INSERT INTO child (id, parent_id) VALUES ($1, $2)", {"c", "missing"});
  EXPECT_EQ(orphan.status().code(), StatusCode::kFailedPrecondition) << orphan.status().ToString();
}

TEST_F(SqliteTest, WritesInsideReadAreRefused) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE t (x BIGINT)"));
  Status status =
      db_->Read([](Session& s) { return s.Exec("INSERT INTO t (x) VALUES (1)").status(); });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
}

TEST_F(SqliteTest, NestedTransactionOnOneThreadIsRefusedNotDeadlocked) {
  Status inner;
  MH_ASSERT_OK(db_->Transaction([&](Session&) {
    inner = db_->Transaction([](Session&) { return Status::Ok(); });
    return Status::Ok();
  }));
  EXPECT_EQ(inner.code(), StatusCode::kFailedPrecondition) << inner.ToString();
}

TEST_F(SqliteTest, NonPortablePlaceholdersAreExplained) {
  auto cast = db_->Query("SELECT $1::text", {"x"});
  EXPECT_EQ(cast.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cast.status().message().find("CAST($1 AS type)"), std::string::npos)
      << cast.status().ToString();
  EXPECT_EQ(db_->Query("SELECT ?", {"x"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->Query("SELECT :name", {"x"}).status().code(), StatusCode::kInvalidArgument);
  // $2 without $1: PostgreSQL could not type $1, so SQLite refuses it as well.
  EXPECT_EQ(db_->Query("SELECT $2", {"x", "y"}).status().code(), StatusCode::kInvalidArgument);
  MH_ASSERT_OK_AND_ASSIGN(Rows ok, db_->Query("SELECT CAST($1 AS TEXT)", {7}));
  EXPECT_EQ(ok.Text(0, 0), "7");
}

TEST_F(SqliteTest, OneStatementPerQuery) {
  auto two = db_->Query("SELECT 1; SELECT 2");
  EXPECT_EQ(two.status().code(), StatusCode::kInvalidArgument) << two.status().ToString();
  MH_EXPECT_OK(db_->Query("SELECT 1;  \n"));
}

TEST_F(SqliteTest, StatementCacheStaysCorrectPastItsCapacity) {
  // More distinct statements than the cache holds, then the first ones again.
  for (int round = 0; round < 2; ++round) {
    for (int k = 0; k < 300; ++k) {
      auto rows = db_->Query("SELECT $1 + " + std::to_string(k), {1});
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      ASSERT_EQ(rows->Int(0, 0), k + 1);
    }
  }
}

TEST_F(SqliteTest, LockHeldByAnotherProcessIsUnavailable) {
  // A foreign connection (another process, as far as SQLite knows) holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(scratch_.sqlite_options().path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  SqliteOptions options = scratch_.sqlite_options();
  options.busy_timeout_ms = 50;
  MH_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> impatient, OpenSqlite(options));
  Status status = impatient->Transaction([](Session&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();

  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  MH_EXPECT_OK(impatient->Transaction([](Session&) { return Status::Ok(); }));
}

}  // namespace
}  // namespace milkyhoop::sql::testing
