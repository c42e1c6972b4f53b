#include "migration_plan.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::sql::internal {
namespace {

TEST(MigrationPlanTest, SortsByVersionAndPicksTheDialect) {
  const MigrationFile files[] = {
      {"0010_late.sql", "L"},
      {"0002_x.postgres.sql", "P"},
      {"0002_x.sqlite.sql", "S"},
      {"1_first.sql", "F"},
  };
  auto sqlite = PlanMigrations(files, Dialect::kSqlite);
  ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
  ASSERT_EQ(sqlite->size(), 3u);
  EXPECT_EQ((*sqlite)[0].version, 1);
  EXPECT_EQ((*sqlite)[1].name, "0002_x.sqlite.sql");
  EXPECT_EQ((*sqlite)[1].sql, "S");
  EXPECT_EQ((*sqlite)[2].version, 10);
  EXPECT_EQ((*sqlite)[0].checksum.size(), 64u);

  auto postgres = PlanMigrations(files, Dialect::kPostgres);
  ASSERT_TRUE(postgres.ok()) << postgres.status().ToString();
  ASSERT_EQ(postgres->size(), 3u);
  EXPECT_EQ((*postgres)[1].name, "0002_x.postgres.sql");
}

TEST(MigrationPlanTest, RejectsBadNamesAndDuplicateVersions) {
  const MigrationFile no_version[] = {{"create.sql", "x"}};
  const MigrationFile not_sql[] = {{"0001_x.txt", "x"}};
  const MigrationFile too_long[] = {{"1234567890123456789_x.sql", "x"}};
  const MigrationFile same_version[] = {{"0001_a.sql", "x"}, {"01_b.sql", "y"}};
  const MigrationFile same_for_postgres[] = {{"0003_a.postgres.sql", "x"}, {"0003_b.sql", "y"}};
  for (auto files :
       {std::span<const MigrationFile>(no_version), std::span<const MigrationFile>(not_sql),
        std::span<const MigrationFile>(too_long), std::span<const MigrationFile>(same_version),
        std::span<const MigrationFile>(same_for_postgres)}) {
    for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
      EXPECT_EQ(PlanMigrations(files, d).status().code(), StatusCode::kInvalidArgument)
          << files[0].name;
    }
  }
  // Distinct dialects may share a version.
  const MigrationFile split[] = {{"0003_a.postgres.sql", "x"}, {"0003_a.sqlite.sql", "y"}};
  EXPECT_TRUE(PlanMigrations(split, Dialect::kSqlite).ok());
}

}  // namespace
}  // namespace milkyhoop::sql::internal
