#include "milkyhoop/sql/outbox.hpp"

#include <chrono>

#include "encoding.hpp"

namespace milkyhoop::sql {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status AppendOutbox(Session& tx, const OutboxEvent& event) {
  if (event.id.empty()) return InvalidArgument("outbox: event id is empty");
  if (event.type.empty()) return InvalidArgument("outbox: event type is empty");
  // created_at 0 means "now" so callers without a clock at hand still record a real time.
  const std::int64_t created_at = event.created_at_ms != 0 ? event.created_at_ms : NowMs();
  return tx
      .Exec(
          "INSERT INTO outbox (id, type, tenant_id, payload, trace_id, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {event.id, event.type, event.tenant_id, internal::Base64Encode(event.payload),
           event.trace_id, created_at})
      .status();
}

Result<std::vector<OutboxEvent>> FetchUnsentOutbox(Database& db, int limit) {
  if (limit <= 0) return InvalidArgument("outbox: limit must be positive");
  // Order is by seq, i.e. by insertion. On PostgreSQL transactions can commit out of seq
  // order, so a later relay pass may still find an older seq: consumers must not rely on a
  // strict global order, only on per-aggregate order within one transaction.
  MH_ASSIGN_OR_RETURN(Rows rows,
                      db.Query("SELECT seq, id, type, tenant_id, payload, trace_id, created_at, "
                               "attempts FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1",
                               {static_cast<std::int64_t>(limit)}));
  std::vector<OutboxEvent> events;
  events.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    OutboxEvent& e = events.emplace_back();
    e.seq = rows.Int(r, 0);
    e.id = rows.Text(r, 1);
    e.type = rows.Text(r, 2);
    e.tenant_id = rows.Text(r, 3);
    std::optional<std::string> payload = internal::Base64Decode(rows.Text(r, 4));
    if (!payload) {
      return Status(StatusCode::kDataLoss,
                    "outbox: payload of seq " + std::to_string(e.seq) + " is not base64");
    }
    e.payload = std::move(*payload);
    e.trace_id = rows.Text(r, 5);
    e.created_at_ms = rows.Int(r, 6);
    e.attempts = static_cast<int>(rows.Int(r, 7));
  }
  return events;
}

Status MarkOutboxSent(Database& db, const std::vector<std::int64_t>& seqs) {
  if (seqs.empty()) return Status::Ok();
  const std::int64_t now = NowMs();
  // One transaction, one prepared statement reused per row: no SQL built from the list.
  return db.Transaction([&](Session& tx) -> Status {
    for (std::int64_t seq : seqs) {
      MH_TRY(
          tx.Exec("UPDATE outbox SET sent_at = $1 WHERE seq = $2 AND sent_at IS NULL", {now, seq})
              .status());
    }
    return Status::Ok();
  });
}

Status RecordOutboxFailure(Database& db, std::int64_t seq) {
  MH_ASSIGN_OR_RETURN(std::int64_t changed,
                      db.Exec("UPDATE outbox SET attempts = attempts + 1 WHERE seq = $1", {seq}));
  if (changed == 0) return NotFound("outbox: no event with seq " + std::to_string(seq));
  return Status::Ok();
}

Result<std::int64_t> CountUnsentOutbox(Database& db) {
  MH_ASSIGN_OR_RETURN(Rows rows, db.Query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"));
  return rows.Int(0, 0);
}

Result<bool> MarkEventProcessed(Session& tx, std::string_view consumer, std::string_view event_id) {
  // ON CONFLICT instead of catching the unique violation: on PostgreSQL a failed statement
  // would abort the consumer's whole transaction.
  MH_ASSIGN_OR_RETURN(std::int64_t inserted,
                      tx.Exec("INSERT INTO processed_events (consumer, event_id, processed_at) "
                              "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                              {std::string(consumer), std::string(event_id), NowMs()}));
  return inserted == 1;
}

}  // namespace milkyhoop::sql
