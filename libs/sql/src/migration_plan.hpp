#pragma once
// Which embedded migration files apply to a database, in which order: the pure part of
// Migrate, kept apart so file-name rules are tested without a database.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::sql::internal {

struct PlannedMigration {
  std::int64_t version = 0;
  std::string name;      // the file name, for messages and schema_migrations.name
  std::string_view sql;  // points into the embedded file table
  std::string checksum;  // sha256 hex of sql
};

// The files for `dialect` sorted by version: NNNN_x.sql on both dialects, NNNN_x.sqlite.sql
// and NNNN_x.postgres.sql on one. Fails (kInvalidArgument) on a name without a leading version
// or not ending in .sql, and when two files claim one version for the same dialect; that is
// checked for both dialects so the mistake shows whichever database the tests use.
Result<std::vector<PlannedMigration>> PlanMigrations(std::span<const MigrationFile> files,
                                                     Dialect dialect);

}  // namespace milkyhoop::sql::internal
