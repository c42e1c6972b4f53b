// The adapter-independent convenience methods of Database.
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql {

Result<Rows> Database::Query(std::string_view sql, std::initializer_list<Value> params) {
  Rows rows;
  Status status = Read([&](Session& session) -> Status {
    MH_ASSIGN_OR_RETURN(rows, session.Query(sql, params));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rows;
}

Result<std::int64_t> Database::Exec(std::string_view sql, std::initializer_list<Value> params) {
  std::int64_t changed = 0;
  Status status = Transaction([&](Session& session) -> Status {
    MH_ASSIGN_OR_RETURN(changed, session.Exec(sql, params));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return changed;
}

}  // namespace milkyhoop::sql
