#include <span>

#include "audit_consumer.hpp"
#include "audit_log.hpp"
#include "milkyhoop/audit/audit_factory.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::audit {

// Generated from migrations/ by mh_embed_migrations (cmake).
std::span<const sql::MigrationFile> Migrations();

// Out of line so the vtable is emitted once, in mh_audit.
AuditService::~AuditService() = default;

Status MigrateAuditDatabase(sql::Database& db) { return sql::Migrate(db, "audit", Migrations()); }

std::unique_ptr<AuditService> MakeAuditService(sql::Database& db, const Clock& clock) {
  return std::make_unique<AuditLog>(db, clock);
}

Status SubscribeAuditConsumer(events::EventBus& bus, sql::Database& db, const Clock& clock) {
  auto consumer = std::make_shared<AuditRecordConsumer>(std::make_shared<AuditLog>(db, clock));
  return bus.Subscribe(kAuditConsumer, {kAuditRecordEvent},
                       [consumer](const events::Event& event) { return consumer->Handle(event); });
}

}  // namespace milkyhoop::audit
