#pragma once
// Per-service, versioned, checksummed migrations, applied once. File names are
// NNNN_description.sql (both dialects) or NNNN_description.{sqlite,postgres}.sql (one dialect).
// A service's files are embedded in the binary by cmake's mh_embed_migrations().

#include <span>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql {

struct MigrationFile {
  const char* name;
  const char* sql;
};

// Applies the pending migrations of `service` in version order, each in its own transaction,
// recording (service, version, name, sha256) in schema_migrations. Refuses (kFailedPrecondition,
// naming the file) when an applied migration's checksum differs from the embedded one, or when a
// version is applied in the database but unknown to this binary, or when a pending version is
// older than the newest applied one (give it a higher number). Bad file names, and two files
// with one version for the same dialect, are kInvalidArgument. Also creates the framework
// tables every service shares: outbox and processed_events.
// A migration runs inside a transaction: it must not contain BEGIN/COMMIT, nor statements
// PostgreSQL refuses in one (CREATE INDEX CONCURRENTLY). On PostgreSQL statement_timeout is
// lifted for migrations, and concurrent migrators of one schema wait for each other.
Status Migrate(Database& db, std::string_view service, std::span<const MigrationFile> files);

}  // namespace milkyhoop::sql
