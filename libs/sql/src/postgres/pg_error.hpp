#pragma once
// PostgreSQL SQLSTATEs → Status codes (see database.hpp for the shared contract).
//   23505                     → kAlreadyExists       (unique violation)
//   other 23xxx               → kFailedPrecondition  (not null, foreign key, check, exclusion)
//   40001, 40P01              → kAborted             (serialization failure, deadlock: retry)
//   57014                     → kDeadlineExceeded    (statement_timeout)
//   08xxx, 57P01..57P03       → kUnavailable         (connection lost, server shutting down)
//   anything else             → kInternal

#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::sql::internal {

StatusCode PgStatusCode(std::string_view sqlstate);
// True when the SQLSTATE means the session is gone and the connection must be replaced.
bool IsPgConnectionLoss(std::string_view sqlstate);
// Replaces every occurrence of `secret` in `text` (no-op for an empty secret). Connection
// errors must never carry the password from a DSN into a Status or a log line.
std::string Redact(std::string text, std::string_view secret);

}  // namespace milkyhoop::sql::internal
