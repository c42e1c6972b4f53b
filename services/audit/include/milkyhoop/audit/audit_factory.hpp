#pragma once
// The implementation of AuditService, for the composition root (and tests): its schema, the
// service over a database, and its consumer of "audit.record" events.

#include <memory>

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::audit {

// Applies the audit service's migrations (service name "audit") to `db`, its own database.
Status MigrateAuditDatabase(sql::Database& db);

// The implementation over a migrated `db`. `db` and `clock` must outlive it. Thread-safe; any
// number of instances (and processes) may append to the same database.
std::unique_ptr<AuditService> MakeAuditService(sql::Database& db, const Clock& clock);

// Subscribes the audit consumer (kAuditConsumer) to kAuditRecordEvent on `bus`: each event is
// appended to its organisation's chain once, however often it is delivered. An undecodable
// payload is refused with kDataLoss (the relay retries, then parks it). `db` and `clock` must
// outlive the subscription.
Status SubscribeAuditConsumer(events::EventBus& bus, sql::Database& db, const Clock& clock);

}  // namespace milkyhoop::audit
