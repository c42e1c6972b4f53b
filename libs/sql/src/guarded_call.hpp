#pragma once
// Calls a caller's transaction/read body so that an exception thrown inside it becomes a Status
// (and so a rollback) instead of escaping through the library.

#include <exception>
#include <functional>
#include <string>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql::internal {

inline Status CallGuarded(const std::function<Status(Session&)>& fn, Session& session) {
  try {
    return fn(session);
  } catch (const std::exception& e) {
    return Internal(std::string("exception in database callback: ") + e.what());
  } catch (...) {
    return Internal("unknown exception in database callback");
  }
}

}  // namespace milkyhoop::sql::internal
