#include "testing/sql_test_support.hpp"

#include <libpq-fe.h>

#include <cstdlib>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::sql::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::string TestPgDsn() {
  const char* dsn = std::getenv("MILKYHOOP_TEST_PG_DSN");
  return dsn != nullptr ? dsn : "";
}

Result<std::string> PgAdminQuery(const std::string& sql, const std::vector<std::string>& params) {
  PGconn* conn = PQconnectdb(TestPgDsn().c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Unavailable("admin connection: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // "drop cascades to ..."
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* result = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = PQresultStatus(result);
  Result<std::string> out = std::string();
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0 && PQnfields(result) > 0) {
    out = std::string(PQgetvalue(result, 0, 0));
  } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    out = Internal("admin query: " + std::string(PQresultErrorMessage(result)));
  }
  PQclear(result);
  PQfinish(conn);
  return out;
}

Scratch::Scratch(Backend backend) : backend_(backend) {
  const std::string suffix = RandomHex(6);
  if (backend_ == Backend::kSqlite) {
    dir_ = std::filesystem::temp_directory_path() / ("mh_sql_test_" + suffix);
  } else {
    schema_ = "mh_test_" + suffix;
  }
}

Scratch::~Scratch() {
  if (backend_ == Backend::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  } else {
    auto dropped = PgAdminQuery("DROP SCHEMA IF EXISTS \"" + schema_ + "\" CASCADE");
    EXPECT_TRUE(dropped.ok()) << dropped.status().ToString();
  }
}

SqliteOptions Scratch::sqlite_options() const {
  SqliteOptions options;
  options.path = (dir_ / "nested" / "test.db").string();  // the adapter creates the dirs
  return options;
}

PostgresOptions Scratch::postgres_options() const {
  PostgresOptions options;
  options.dsn = TestPgDsn();
  options.schema = schema_;
  options.application_name = schema_;  // lets a test find exactly its own backends
  return options;
}

Result<std::unique_ptr<Database>> Scratch::Open() const {
  if (backend_ == Backend::kSqlite) return OpenSqlite(sqlite_options());
  return OpenPostgres(postgres_options());
}

void SqlBackendTest::SetUp() {
  if (backend() == Backend::kPostgres && TestPgDsn().empty()) GTEST_SKIP() << kNoPostgres;
  scratch_ = std::make_unique<Scratch>(backend());
  MH_ASSERT_OK_AND_ASSIGN(db_, scratch_->Open());
}

void SqlBackendTest::TearDown() {
  db_.reset();  // close connections before the schema or files go
  scratch_.reset();
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlBackendTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace milkyhoop::sql::testing
