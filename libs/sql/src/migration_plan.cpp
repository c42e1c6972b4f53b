#include "migration_plan.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "encoding.hpp"

namespace milkyhoop::sql::internal {
namespace {

struct ParsedName {
  std::int64_t version = 0;
  bool sqlite = true;
  bool postgres = true;
};

Result<ParsedName> ParseName(std::string_view name) {
  ParsedName parsed;
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') {
    // 18 digits always fit in int64; more is a typo, not a version.
    if (digits == 18)
      return InvalidArgument("migration " + std::string(name) + ": version too long");
    parsed.version = parsed.version * 10 + (name[digits] - '0');
    ++digits;
  }
  if (digits == 0) {
    return InvalidArgument("migration " + std::string(name) +
                           ": file name must start with its version number (NNNN_name.sql)");
  }
  if (name.ends_with(".sqlite.sql")) {
    parsed.postgres = false;
  } else if (name.ends_with(".postgres.sql")) {
    parsed.sqlite = false;
  } else if (!name.ends_with(".sql")) {
    return InvalidArgument("migration " + std::string(name) + ": file name must end in .sql");
  }
  return parsed;
}

bool AppliesTo(const ParsedName& parsed, Dialect dialect) {
  return dialect == Dialect::kSqlite ? parsed.sqlite : parsed.postgres;
}

}  // namespace

Result<std::vector<PlannedMigration>> PlanMigrations(std::span<const MigrationFile> files,
                                                     Dialect dialect) {
  std::vector<PlannedMigration> plan;
  // version → file name, per dialect, to catch two files claiming one version.
  std::map<std::int64_t, std::string_view> seen_sqlite;
  std::map<std::int64_t, std::string_view> seen_postgres;
  for (const MigrationFile& file : files) {
    if (file.name == nullptr || file.sql == nullptr) {
      return InvalidArgument("migration table has an entry without name or SQL");
    }
    const std::string_view name(file.name);
    MH_ASSIGN_OR_RETURN(ParsedName parsed, ParseName(name));
    for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
      if (!AppliesTo(parsed, d)) continue;
      auto& seen = d == Dialect::kSqlite ? seen_sqlite : seen_postgres;
      auto [it, inserted] = seen.emplace(parsed.version, name);
      if (!inserted) {
        return InvalidArgument("migrations " + std::string(it->second) + " and " +
                               std::string(name) + " share version " +
                               std::to_string(parsed.version) + " for " +
                               (d == Dialect::kSqlite ? "SQLite" : "PostgreSQL"));
      }
    }
    if (!AppliesTo(parsed, dialect)) continue;
    std::string checksum = Sha256Hex(file.sql);
    if (checksum.empty()) return Internal("migration " + std::string(name) + ": sha256 failed");
    plan.push_back({parsed.version, std::string(name), file.sql, std::move(checksum)});
  }
  std::sort(plan.begin(), plan.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return plan;
}

}  // namespace milkyhoop::sql::internal
