#include "framework_schema.hpp"

namespace milkyhoop::sql::internal {
namespace {

// Only the outbox sequence differs: each dialect's own auto-increment. AUTOINCREMENT on SQLite
// so a sequence number is never reused after the newest rows are deleted.
constexpr std::string_view kSqlite = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  service TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (service, version)
);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  tenant_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  trace_id TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS processed_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
)sql";

constexpr std::string_view kPostgres = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  service TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (service, version)
);
CREATE TABLE IF NOT EXISTS outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  tenant_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  trace_id TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS processed_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
)sql";

}  // namespace

std::string_view FrameworkSchema(Dialect dialect) {
  return dialect == Dialect::kSqlite ? kSqlite : kPostgres;
}

}  // namespace milkyhoop::sql::internal
