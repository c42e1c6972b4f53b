#include "postgres/pg_error.hpp"

#include <string>

namespace milkyhoop::sql::internal {

bool IsPgConnectionLoss(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

StatusCode PgStatusCode(std::string_view sqlstate) {
  if (sqlstate == "23505") return StatusCode::kAlreadyExists;
  if (sqlstate.starts_with("23")) return StatusCode::kFailedPrecondition;
  if (sqlstate == "40001" || sqlstate == "40P01") return StatusCode::kAborted;
  if (sqlstate == "57014") return StatusCode::kDeadlineExceeded;
  if (IsPgConnectionLoss(sqlstate)) return StatusCode::kUnavailable;
  return StatusCode::kInternal;
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (std::size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "[redacted]");
    pos += 10;
  }
  return text;
}

}  // namespace milkyhoop::sql::internal
