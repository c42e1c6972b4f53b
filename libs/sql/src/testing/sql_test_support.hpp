#pragma once
// Shared by the database tests: the backends a suite runs on, a scratch database per test
// (a temporary directory or a fresh PostgreSQL schema, removed afterwards), a libpq connection
// of its own for admin actions, and Status assertions.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql::testing {

enum class Backend : std::uint8_t { kSqlite, kPostgres };
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// MILKYHOOP_TEST_PG_DSN, or "" when PostgreSQL tests are to be skipped.
std::string TestPgDsn();
inline constexpr const char* kNoPostgres =
    "MILKYHOOP_TEST_PG_DSN is not set; run scripts/pg-start.sh and export the DSN it prints "
    "to run the PostgreSQL variants";

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

// Runs SQL on a libpq connection of its own, outside any pool under test, and returns the
// first column of the first row ("" when there is none).
Result<std::string> PgAdminQuery(const std::string& sql,
                                 const std::vector<std::string>& params = {});

// One test's private store. Open() may be called again for a second, independent handle on
// the same data (a second process, as far as the store can tell).
class Scratch {
 public:
  explicit Scratch(Backend backend);
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  Result<std::unique_ptr<Database>> Open() const;
  SqliteOptions sqlite_options() const;
  PostgresOptions postgres_options() const;
  const std::string& schema() const { return schema_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Backend backend_;
  std::filesystem::path dir_;  // SQLite
  std::string schema_;         // PostgreSQL; also the connections' application_name
};

// The one suite that runs the same assertions on every backend.
class SqlBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Backend backend() const { return GetParam(); }

  std::unique_ptr<Scratch> scratch_;
  std::unique_ptr<Database> db_;
};

}  // namespace milkyhoop::sql::testing

#define MH_ASSERT_OK(expr)                                                        \
  do {                                                                            \
    const ::milkyhoop::Status mh_st_ = ::milkyhoop::sql::testing::StatusOf(expr); \
    ASSERT_TRUE(mh_st_.ok()) << mh_st_.ToString();                                \
  } while (0)
#define MH_EXPECT_OK(expr)                                                        \
  do {                                                                            \
    const ::milkyhoop::Status mh_st_ = ::milkyhoop::sql::testing::StatusOf(expr); \
    EXPECT_TRUE(mh_st_.ok()) << mh_st_.ToString();                                \
  } while (0)
#define MH_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();  \
  lhs = std::move(tmp).value()
#define MH_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  MH_ASSERT_OK_AND_ASSIGN_IMPL(MH_CONCAT(mh_assert_, __LINE__), lhs, expr)
