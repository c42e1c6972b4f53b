#pragma once
// The tables every service's database carries besides its own: the migration history, the
// transactional outbox and the consumer idempotency log. Idempotent DDL, safe to run on every
// start.

#include <string_view>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql::internal {

std::string_view FrameworkSchema(Dialect dialect);

}  // namespace milkyhoop::sql::internal
