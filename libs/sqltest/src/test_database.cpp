#include "milkyhoop/sqltest/test_database.hpp"

#include <cstdlib>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::sqltest {

std::string BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::string TestPgDsn() {
  const char* dsn = std::getenv("MILKYHOOP_TEST_PG_DSN");
  return dsn != nullptr ? dsn : "";
}

TestDatabase::TestDatabase(Backend backend, std::string prefix)
    : backend_(backend), prefix_(std::move(prefix)) {
  const std::string suffix = RandomHex(6);
  if (backend_ == Backend::kSqlite) {
    dir_ = std::filesystem::temp_directory_path() / (prefix_ + suffix);
  } else {
    schema_ = prefix_ + suffix;
  }
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Open(Backend backend, std::string_view prefix) {
  std::unique_ptr<TestDatabase> t(new TestDatabase(backend, std::string(prefix)));
  MH_ASSIGN_OR_RETURN(t->db_, t->OpenAnother());
  return t;
}

Result<std::unique_ptr<sql::Database>> TestDatabase::OpenAnother() const {
  if (backend_ == Backend::kSqlite) {
    sql::SqliteOptions options;
    options.path = (dir_ / "test.db").string();
    return sql::OpenSqlite(options);
  }
  sql::PostgresOptions options;
  options.dsn = TestPgDsn();
  options.schema = schema_;
  options.pool_size = 4;
  options.application_name = schema_;
  return sql::OpenPostgres(options);
}

TestDatabase::~TestDatabase() {
  if (backend_ == Backend::kPostgres && db_) {
    // Dropped through the handle under test: the schema is its own, nothing else uses it.
    auto dropped = db_->Exec("DROP SCHEMA IF EXISTS \"" + schema_ + "\" CASCADE");
    EXPECT_TRUE(dropped.ok()) << dropped.status().ToString();
  }
  db_.reset();
  if (backend_ == Backend::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace milkyhoop::sqltest
