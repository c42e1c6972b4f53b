#pragma once
// Test support shared by the services' database tests: a private database per test on SQLite (a
// temporary directory) or PostgreSQL (a fresh schema, when MILKYHOOP_TEST_PG_DSN is set), dropped
// afterwards; and Status assertions. The pattern of libs/sql/src/testing, kept small.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sqltest {

enum class Backend : std::uint8_t { kSqlite, kPostgres };
std::string BackendName(Backend backend);

// MILKYHOOP_TEST_PG_DSN, or "" when PostgreSQL tests are to be skipped.
std::string TestPgDsn();
inline constexpr const char* kNoPostgres =
    "MILKYHOOP_TEST_PG_DSN is not set; run scripts/pg-start.sh and export the DSN it prints";

class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> Open(Backend backend,
                                                    std::string_view prefix = "mh_test_");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  sql::Database& db() { return *db_; }
  // A second, independent handle on the same data (another process, as far as it can tell).
  Result<std::unique_ptr<sql::Database>> OpenAnother() const;

 private:
  TestDatabase(Backend backend, std::string prefix);

  Backend backend_;
  std::string prefix_;
  std::filesystem::path dir_;  // SQLite
  std::string schema_;         // PostgreSQL
  std::unique_ptr<sql::Database> db_;
};

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace milkyhoop::sqltest

#define MH_ASSERT_OK(expr)                                                   \
  do {                                                                       \
    const ::milkyhoop::Status mh_st_ = ::milkyhoop::sqltest::StatusOf(expr); \
    ASSERT_TRUE(mh_st_.ok()) << mh_st_.ToString();                           \
  } while (0)
#define MH_EXPECT_OK(expr)                                                   \
  do {                                                                       \
    const ::milkyhoop::Status mh_st_ = ::milkyhoop::sqltest::StatusOf(expr); \
    EXPECT_TRUE(mh_st_.ok()) << mh_st_.ToString();                           \
  } while (0)
#define MH_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();  \
  lhs = std::move(tmp).value()
#define MH_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  MH_ASSERT_OK_AND_ASSIGN_IMPL(MH_CONCAT(mh_assert_, __LINE__), lhs, expr)
#define MH_EXPECT_CODE(expr, expected_code)                                  \
  do {                                                                       \
    const ::milkyhoop::Status mh_st_ = ::milkyhoop::sqltest::StatusOf(expr); \
    EXPECT_EQ(mh_st_.code(), expected_code) << mh_st_.ToString();            \
  } while (0)
