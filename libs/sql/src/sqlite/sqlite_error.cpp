#include "sqlite/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace milkyhoop::sql::internal {

StatusCode SqliteStatusCode(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return StatusCode::kAlreadyExists;
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_READONLY:
      return StatusCode::kFailedPrecondition;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

Status SqliteError(int extended_code, std::string_view message) {
  std::string text = "sqlite: ";
  text.append(message);
  return Status(SqliteStatusCode(extended_code), std::move(text));
}

}  // namespace milkyhoop::sql::internal
