// Migrate(): framework tables first, then each pending migration in its own transaction
// together with its schema_migrations row, so a crash never leaves a half-recorded migration.

#include "milkyhoop/sql/migration.hpp"

#include <chrono>
#include <map>

#include "framework_schema.hpp"
#include "migration_plan.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::sql {
namespace {

using internal::PlannedMigration;

struct Applied {
  std::string name;
  std::string checksum;
};
using History = std::map<std::int64_t, Applied>;

// FNV-1a: stable across processes and builds (std::hash is not), so every process migrating
// the same store asks PostgreSQL for the same advisory lock. Keyed by the store
// ("postgres:<schema>"), not only the service: the framework tables are per schema, so even
// two services wrongly sharing a schema must not run their DDL concurrently.
std::int64_t LockKey(std::string_view store) {
  const std::string name = "milkyhoop.migrate:" + std::string(store);
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(hash);
}

// On PostgreSQL two processes starting together would both see a migration as pending; the
// transaction-scoped lock makes the second wait and then find it applied. SQLite needs
// nothing: BEGIN IMMEDIATE already holds the database's only write lock.
// The request-path statement_timeout does not apply here: an index build may take minutes,
// and so may waiting for another process's migration; failing a deploy on it helps nobody.
Status LockMigrations(Session& tx, std::int64_t key) {
  if (tx.dialect() != Dialect::kPostgres) return Status::Ok();
  MH_TRY(tx.ExecScript("SET LOCAL statement_timeout = 0"));
  return tx.Query("SELECT pg_advisory_xact_lock($1)", {key}).status();
}

Result<History> LoadHistory(Session& tx, std::string_view service) {
  MH_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT version, name, checksum FROM schema_migrations "
                                          "WHERE service = $1",
                                          {std::string(service)}));
  History history;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    history[rows.Int(r, 0)] = Applied{rows.Text(r, 1), rows.Text(r, 2)};
  }
  return history;
}

// Refuses a database that the embedded files do not describe: an applied migration that was
// edited since, one this binary does not know (a newer binary migrated it), or a pending one
// older than the newest applied (inserted into history after the fact).
Status CheckHistory(const History& history, const std::vector<PlannedMigration>& plan,
                    std::string_view service) {
  std::map<std::int64_t, const PlannedMigration*> known;
  for (const auto& m : plan) known[m.version] = &m;
  const std::string who = "migrations of '" + std::string(service) + "': ";
  for (const auto& [version, applied] : history) {
    auto it = known.find(version);
    if (it == known.end()) {
      return FailedPrecondition(who + applied.name + " (version " + std::to_string(version) +
                                ") is applied in the database but unknown to this binary");
    }
    if (it->second->checksum != applied.checksum) {
      return FailedPrecondition(who + it->second->name +
                                " was modified after it was applied (checksum differs); "
                                "write a new migration instead");
    }
  }
  if (history.empty()) return Status::Ok();
  const std::int64_t newest = history.rbegin()->first;
  for (const auto& m : plan) {
    if (m.version < newest && !history.contains(m.version)) {
      return FailedPrecondition(who + m.name + " is pending but the newer version " +
                                std::to_string(newest) +
                                " is already applied; give it a higher version");
    }
  }
  return Status::Ok();
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Applies one migration unless another process did meanwhile. Sets *applied when it ran here.
Status ApplyOne(Database& db, std::string_view service, std::int64_t key,
                const std::vector<PlannedMigration>& plan, const PlannedMigration& m,
                bool* applied) {
  return db.Transaction([&](Session& tx) -> Status {
    MH_TRY(LockMigrations(tx, key));
    MH_ASSIGN_OR_RETURN(History history, LoadHistory(tx, service));
    MH_TRY(CheckHistory(history, plan, service));
    if (history.contains(m.version)) return Status::Ok();
    Status ran = tx.ExecScript(m.sql);
    if (!ran.ok()) return Status(ran.code(), "migration " + m.name + " failed: " + ran.message());
    MH_TRY(tx.Exec("INSERT INTO schema_migrations (service, version, name, checksum, applied_at) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   {std::string(service), m.version, m.name, m.checksum, NowMs()})
               .status());
    *applied = true;
    return Status::Ok();
  });
}

}  // namespace

Status Migrate(Database& db, std::string_view service, std::span<const MigrationFile> files) {
  if (service.empty()) return InvalidArgument("migrate: service name is empty");
  MH_ASSIGN_OR_RETURN(std::vector<PlannedMigration> plan,
                      internal::PlanMigrations(files, db.dialect()));
  const std::int64_t key = LockKey(db.Describe());

  History history;
  MH_TRY(db.Transaction([&](Session& tx) -> Status {
    MH_TRY(LockMigrations(tx, key));
    MH_TRY(tx.ExecScript(internal::FrameworkSchema(tx.dialect())));
    MH_ASSIGN_OR_RETURN(history, LoadHistory(tx, service));
    return CheckHistory(history, plan, service);
  }));

  for (const PlannedMigration& m : plan) {
    if (history.contains(m.version)) continue;
    bool applied = false;
    MH_TRY(ApplyOne(db, service, key, plan, m, &applied));
    if (applied) {
      MH_LOG_INFO("migration applied", {"service", service}, {"version", m.version},
                  {"name", m.name}, {"db", db.Describe()});
    }
  }
  return Status::Ok();
}

}  // namespace milkyhoop::sql
