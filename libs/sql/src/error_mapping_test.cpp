// Both adapters' error tables against the contract in database.hpp.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "postgres/pg_error.hpp"
#include "sqlite/sqlite_error.hpp"

namespace milkyhoop::sql::internal {
namespace {

TEST(ErrorMappingTest, Sqlite) {
  EXPECT_EQ(SqliteStatusCode(SQLITE_CONSTRAINT_UNIQUE), StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatusCode(SQLITE_CONSTRAINT_PRIMARYKEY), StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatusCode(SQLITE_CONSTRAINT_NOTNULL), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatusCode(SQLITE_CONSTRAINT_FOREIGNKEY), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatusCode(SQLITE_CONSTRAINT_CHECK), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatusCode(SQLITE_BUSY), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatusCode(SQLITE_BUSY_SNAPSHOT), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatusCode(SQLITE_LOCKED), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatusCode(SQLITE_READONLY), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatusCode(SQLITE_ERROR), StatusCode::kInternal);
  EXPECT_EQ(SqliteStatusCode(SQLITE_CORRUPT), StatusCode::kInternal);
}

TEST(ErrorMappingTest, Postgres) {
  EXPECT_EQ(PgStatusCode("23505"), StatusCode::kAlreadyExists);
  EXPECT_EQ(PgStatusCode("23502"), StatusCode::kFailedPrecondition);  // not null
  EXPECT_EQ(PgStatusCode("23503"), StatusCode::kFailedPrecondition);  // foreign key
  EXPECT_EQ(PgStatusCode("23514"), StatusCode::kFailedPrecondition);  // check
  EXPECT_EQ(PgStatusCode("40001"), StatusCode::kAborted);
  EXPECT_EQ(PgStatusCode("40P01"), StatusCode::kAborted);
  EXPECT_EQ(PgStatusCode("57014"), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(PgStatusCode("08006"), StatusCode::kUnavailable);
  EXPECT_EQ(PgStatusCode("57P01"), StatusCode::kUnavailable);
  EXPECT_EQ(PgStatusCode("42P01"), StatusCode::kInternal);
  EXPECT_EQ(PgStatusCode(""), StatusCode::kInternal);
  EXPECT_TRUE(IsPgConnectionLoss("08003"));
  EXPECT_TRUE(IsPgConnectionLoss("57P01"));
  EXPECT_FALSE(IsPgConnectionLoss("57014"));
}

TEST(ErrorMappingTest, RedactRemovesEveryOccurrence) {
  EXPECT_EQ(Redact("pw=hunter2 again hunter2", "hunter2"), "pw=[redacted] again [redacted]");
  EXPECT_EQ(Redact("nothing here", ""), "nothing here");
}

}  // namespace
}  // namespace milkyhoop::sql::internal
