#pragma once
// The implementation of OrgService, for the composition root (and tests): its schema, the
// service over a database, and its event consumer.

#include <memory>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::org {

// Applies the organisation service's migrations (service name "org") to `db`, its own database.
Status MigrateOrgDatabase(sql::Database& db);

// The implementation over a migrated `db`. `db` and `clock` must outlive it. Thread-safe.
std::unique_ptr<OrgService> MakeOrgService(sql::Database& db, const Clock& clock);

// Subscribes the organisation service's consumer (kOrgConsumer) to kUserRegisteredEvent on
// `bus`: pending invitations for the registered email become memberships, once per event.
// `db` and `clock` must outlive the subscription.
Status SubscribeOrgConsumers(events::EventBus& bus, sql::Database& db, const Clock& clock);

}  // namespace milkyhoop::org
