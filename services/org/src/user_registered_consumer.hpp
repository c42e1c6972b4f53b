#pragma once
// Consumer of "auth.user.registered": records the user in the profile read model and turns the
// pending invitations of that email into active memberships. Idempotent: each event is
// processed once (sql::MarkEventProcessed in the same transaction).

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::org {

class UserRegisteredConsumer {
 public:
  UserRegisteredConsumer(sql::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kDataLoss for a payload that is not a UserRegistered message (it is dead-lettered after the
  // relay's retries); OK for a repeat.
  Status Handle(const events::Event& event);

 private:
  sql::Database& db_;
  const Clock& clock_;
};

}  // namespace milkyhoop::org
