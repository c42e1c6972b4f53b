#pragma once
// The implementation of BusinessService, for the composition root (and tests).

#include <memory>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::business {

// Applies the business service's migrations (service name "business") to `db`, its own database.
Status MigrateBusinessDatabase(sql::Database& db);

// The implementation over a migrated `db`. `security` seals customers' phone numbers and
// computes their blind index. All three must outlive it. Thread-safe; every call blocks on SQL.
std::unique_ptr<BusinessService> MakeBusinessService(sql::Database& db,
                                                     security::SecurityService& security,
                                                     const Clock& clock);

}  // namespace milkyhoop::business
