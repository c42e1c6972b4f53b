#include "org_service_impl.hpp"

#include <span>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/sql/migration.hpp"
#include "user_registered_consumer.hpp"

namespace milkyhoop::org {

// Generated from migrations/ by mh_embed_migrations (cmake).
std::span<const sql::MigrationFile> Migrations();

// Out of line so the vtable is emitted once, in mh_org.
OrgService::~OrgService() = default;

Status RetryOnConflict(int attempts, const std::function<Status()>& fn) {
  Status st;
  for (int i = 0; i < attempts; ++i) {
    st = fn();
    if (st.code() != StatusCode::kAlreadyExists && st.code() != StatusCode::kAborted) return st;
  }
  return st;
}

Status OrgServiceImpl::AuditRefusal(Status refusal, const v1::AuditContext& audit,
                                    const AuditEntry& entry) {
  if (refusal.code() != StatusCode::kPermissionDenied &&
      refusal.code() != StatusCode::kFailedPrecondition) {
    return refusal;
  }
  AuditEntry failed = entry;
  failed.success = false;
  const Status recorded = db_.Transaction(
      [&](sql::Session& tx) { return AppendAuditRecord(tx, clock_, audit, failed); });
  if (!recorded.ok()) {
    MH_LOG_WARN("refused change not audited", {"org_id", entry.org_id}, {"action", entry.action},
                {"error", recorded.ToString()});
  }
  return refusal;
}

Status MigrateOrgDatabase(sql::Database& db) { return sql::Migrate(db, "org", Migrations()); }

std::unique_ptr<OrgService> MakeOrgService(sql::Database& db, const Clock& clock) {
  return std::make_unique<OrgServiceImpl>(db, clock);
}

Status SubscribeOrgConsumers(events::EventBus& bus, sql::Database& db, const Clock& clock) {
  auto consumer = std::make_shared<UserRegisteredConsumer>(db, clock);
  return bus.Subscribe(kOrgConsumer, {kUserRegisteredEvent},
                       [consumer](const events::Event& event) { return consumer->Handle(event); });
}

}  // namespace milkyhoop::org
