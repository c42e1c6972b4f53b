#pragma once
// SQLite result codes → Status codes (see database.hpp for the shared contract).
//   UNIQUE / PRIMARY KEY constraint      → kAlreadyExists
//   CHECK / NOT NULL / FOREIGN KEY / ... → kFailedPrecondition (the row breaks a rule of the
//                                          schema; retrying the same request cannot succeed)
//   BUSY / LOCKED                        → kUnavailable (another process holds the lock past
//                                          busy_timeout; retrying later can succeed)
//   READONLY                             → kFailedPrecondition (a write inside Database::Read)
//   anything else                        → kInternal

#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::sql::internal {

StatusCode SqliteStatusCode(int extended_code);
Status SqliteError(int extended_code, std::string_view message);

}  // namespace milkyhoop::sql::internal
