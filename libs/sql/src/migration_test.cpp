// Migrate() on both backends: once, idempotent, refusing edited or unknown history, picking
// the dialect's files, atomic per migration, and safe with two migrators at once.
#include "milkyhoop/sql/migration.hpp"

#include <thread>
#include <vector>

#include "testing/sql_test_support.hpp"

namespace milkyhoop::sqltest {
// Generated from libs/sql/testdata/migrations by mh_embed_migrations.
std::span<const sql::MigrationFile> Migrations();
}  // namespace milkyhoop::sqltest

namespace milkyhoop::sql::testing {
namespace {

constexpr MigrationFile kV1[] = {
    {"0001_widgets.sql", "CREATE TABLE widgets (id TEXT PRIMARY KEY, name TEXT NOT NULL);"},
    {"0002_seed.sql", "INSERT INTO widgets (id, name) VALUES ('w1', 'first');"},
};

Result<std::int64_t> Count(Database& db, const std::string& sql) {
  MH_ASSIGN_OR_RETURN(Rows rows, db.Query(sql));
  return rows.Int(0, 0);
}

TEST_P(SqlBackendTest, MigrationsApplyOnceAndRerunIsANoOp) {
  MH_ASSERT_OK(Migrate(*db_, "widgets", kV1));
  MH_ASSERT_OK(Migrate(*db_, "widgets", kV1));
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t seeded, Count(*db_, "SELECT COUNT(*) FROM widgets"));
  EXPECT_EQ(seeded, 1);  // the seed ran once

  MH_ASSERT_OK_AND_ASSIGN(Rows history,
                          db_->Query("SELECT version, name, checksum, applied_at FROM "
                                     "schema_migrations WHERE service = $1 ORDER BY version",
                                     {"widgets"}));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history.Int(0, 0), 1);
  EXPECT_EQ(history.Text(0, 1), "0001_widgets.sql");
  EXPECT_EQ(history.Int(1, 0), 2);
  EXPECT_EQ(history.Text(1, 2).size(), 64u);  // sha256 hex
  EXPECT_GT(history.Int(1, 3), 0);

  // The framework tables exist for every service.
  MH_EXPECT_OK(db_->Query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"));
  MH_EXPECT_OK(db_->Query("SELECT COUNT(*) FROM processed_events"));

  // A later release adds a migration: only that one runs.
  std::vector<MigrationFile> v2(std::begin(kV1), std::end(kV1));
  v2.push_back({"0003_more.sql", "INSERT INTO widgets (id, name) VALUES ('w2', 'second');"});
  MH_ASSERT_OK(Migrate(*db_, "widgets", v2));
  MH_ASSERT_OK_AND_ASSIGN(seeded, Count(*db_, "SELECT COUNT(*) FROM widgets"));
  EXPECT_EQ(seeded, 2);
}

TEST_P(SqlBackendTest, MigrationsRefuseAModifiedAppliedFile) {
  MH_ASSERT_OK(Migrate(*db_, "widgets", kV1));
  const MigrationFile edited[] = {
      kV1[0],
      {"0002_seed.sql", "INSERT INTO widgets (id, name) VALUES ('w1', 'edited');"},
  };
  Status status = Migrate(*db_, "widgets", edited);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("0002_seed.sql"), std::string::npos) << status.ToString();
}

TEST_P(SqlBackendTest, MigrationsRefuseAVersionUnknownToTheBinary) {
  std::vector<MigrationFile> newer(std::begin(kV1), std::end(kV1));
  newer.push_back({"0003_newer.sql", "CREATE TABLE newer (x BIGINT);"});
  MH_ASSERT_OK(Migrate(*db_, "widgets", newer));
  Status status = Migrate(*db_, "widgets", kV1);  // an older binary starts
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("0003_newer.sql"), std::string::npos) << status.ToString();
}

TEST_P(SqlBackendTest, MigrationsRefuseAPendingVersionOlderThanTheNewestApplied) {
  const MigrationFile first[] = {kV1[0], {"0003_c.sql", "CREATE TABLE c (x BIGINT);"}};
  MH_ASSERT_OK(Migrate(*db_, "widgets", first));
  const MigrationFile inserted[] = {
      first[0], {"0002_b.sql", "CREATE TABLE b (x BIGINT);"}, first[1]};
  Status status = Migrate(*db_, "widgets", inserted);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("0002_b.sql"), std::string::npos) << status.ToString();
}

TEST_P(SqlBackendTest, MigrationsPickTheDialectsFiles) {
  const MigrationFile files[] = {
      {"0001_base.sql", "CREATE TABLE base (x BIGINT);"},
      {"0002_only.sqlite.sql", "CREATE TABLE only_sqlite (x BIGINT);"},
      {"0002_only.postgres.sql", "CREATE TABLE only_postgres (x BIGINT);"},
  };
  MH_ASSERT_OK(Migrate(*db_, "dialects", files));
  const bool sqlite = backend() == Backend::kSqlite;
  EXPECT_EQ(db_->Query("SELECT x FROM only_sqlite").ok(), sqlite);
  EXPECT_EQ(db_->Query("SELECT x FROM only_postgres").ok(), !sqlite);
  MH_ASSERT_OK_AND_ASSIGN(Rows history,
                          db_->Query("SELECT name FROM schema_migrations WHERE service = $1 AND "
                                     "version = 2",
                                     {"dialects"}));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history.Text(0, 0), sqlite ? "0002_only.sqlite.sql" : "0002_only.postgres.sql");
}

TEST_P(SqlBackendTest, EmbeddedMigrationsFromCmakeApply) {
  MH_ASSERT_OK(Migrate(*db_, "sqltest", milkyhoop::sqltest::Migrations()));
  MH_ASSERT_OK_AND_ASSIGN(Rows marker, db_->Query("SELECT name FROM dialect_marker"));
  ASSERT_EQ(marker.size(), 1u);
  EXPECT_EQ(marker.Text(0, 0), backend() == Backend::kSqlite ? "sqlite" : "postgres");
  MH_EXPECT_OK(
      db_->Exec("INSERT INTO notes (id, tenant_id, body, created_at) VALUES ($1, $2, "
                "$3, $4)",
                {"n1", "org_1", "hello", 1}));
}

TEST_P(SqlBackendTest, MigrationsRejectTwoFilesWithOneVersion) {
  // A conflict on either dialect is refused on both, so it cannot hide until production.
  const MigrationFile files[] = {
      {"0001_a.sql", "CREATE TABLE a (x BIGINT);"},
      {"0001_b.sqlite.sql", "CREATE TABLE b (x BIGINT);"},
  };
  Status status = Migrate(*db_, "dups", files);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_NE(status.message().find("0001_b.sqlite.sql"), std::string::npos) << status.ToString();
}

TEST_P(SqlBackendTest, AFailedMigrationLeavesNoTrace) {
  const MigrationFile broken[] = {
      kV1[0],
      {"0002_broken.sql", "CREATE TABLE half (x BIGINT); INSERT INTO no_such_table VALUES (1);"},
  };
  Status status = Migrate(*db_, "widgets", broken);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("0002_broken.sql"), std::string::npos) << status.ToString();
  EXPECT_FALSE(db_->Query("SELECT x FROM half").ok());  // its DDL was rolled back too
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t applied,
                          Count(*db_, "SELECT COUNT(*) FROM schema_migrations"));
  EXPECT_EQ(applied, 1);
  // Fixed before it ever applied: it runs now.
  const MigrationFile fixed[] = {kV1[0], {"0002_broken.sql", "CREATE TABLE half (x BIGINT);"}};
  MH_EXPECT_OK(Migrate(*db_, "widgets", fixed));
}

TEST_P(SqlBackendTest, ServicesKeepSeparateHistories) {
  MH_ASSERT_OK(Migrate(*db_, "widgets", kV1));
  const MigrationFile other[] = {{"0001_gadgets.sql", "CREATE TABLE gadgets (x BIGINT);"}};
  MH_ASSERT_OK(Migrate(*db_, "gadgets", other));
  MH_ASSERT_OK(Migrate(*db_, "widgets", kV1));  // gadgets' version 1 is not widgets' concern
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t rows, Count(*db_, "SELECT COUNT(*) FROM schema_migrations"));
  EXPECT_EQ(rows, 3);
}

TEST_P(SqlBackendTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  // Two handles on the same store stand for two processes starting together.
  MH_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> second, scratch_->Open());
  // MigrationFile holds pointers: the strings live in these vectors, filled before use.
  std::vector<std::string> names;
  std::vector<std::string> sqls;
  for (int v = 3; v <= 8; ++v) {
    names.push_back("000" + std::to_string(v) + "_step.sql");
    sqls.push_back("INSERT INTO widgets (id, name) VALUES ('w" + std::to_string(v) + "', 'x');");
  }
  std::vector<MigrationFile> files(std::begin(kV1), std::end(kV1));
  for (std::size_t i = 0; i < names.size(); ++i) {
    files.push_back({names[i].c_str(), sqls[i].c_str()});
  }
  Status a;
  Status b;
  std::thread first([&] { a = Migrate(*db_, "widgets", files); });
  std::thread other([&] { b = Migrate(*second, "widgets", files); });
  first.join();
  other.join();
  MH_EXPECT_OK(a);
  MH_EXPECT_OK(b);
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t widgets, Count(*db_, "SELECT COUNT(*) FROM widgets"));
  EXPECT_EQ(widgets, 7);  // w1 and w3..w8, each inserted once
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t applied,
                          Count(*db_, "SELECT COUNT(*) FROM schema_migrations"));
  EXPECT_EQ(applied, 8);
}

}  // namespace
}  // namespace milkyhoop::sql::testing
