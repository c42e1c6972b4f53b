#pragma once
// The transactional outbox: a service appends its event in the same transaction as the state
// change; a relay later reads unsent rows in order, publishes them and marks them sent.
// Consumers record processed event ids so a redelivery changes nothing.

#include <cstdint>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql {

struct OutboxEvent {
  std::int64_t seq = 0;   // assigned by the database, increasing
  std::string id;         // globally unique event id
  std::string type;       // e.g. "business.transaction.posted"
  std::string tenant_id;  // organisation id ("" for system events)
  std::string payload;    // bytes (stored base64-encoded)
  std::string trace_id;
  std::int64_t created_at_ms = 0;  // 0 → the time of AppendOutbox
  int attempts = 0;
};

// Within an open transaction. id and type are required; a duplicate id is kAlreadyExists.
Status AppendOutbox(Session& tx, const OutboxEvent& event);
// Oldest unsent first.
Result<std::vector<OutboxEvent>> FetchUnsentOutbox(Database& db, int limit);
Status MarkOutboxSent(Database& db, const std::vector<std::int64_t>& seqs);
Status RecordOutboxFailure(Database& db, std::int64_t seq);
Result<std::int64_t> CountUnsentOutbox(Database& db);

// Consumer idempotency: returns true when (consumer, event_id) was recorded now, false when it
// had already been processed. Call inside the consumer's transaction.
Result<bool> MarkEventProcessed(Session& tx, std::string_view consumer, std::string_view event_id);

}  // namespace milkyhoop::sql
