// AuditLog: appending to an organisation's chain.

#include <functional>
#include <string>

#include "audit_hash.hpp"
#include "audit_log.hpp"
#include "audit_record_rules.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::audit {
namespace {

// The head lock serialises appenders, so the unique (org_id, seq) only fires when the head table
// and the events disagree (edited by hand; retrying cannot help). Retries are for transient
// aborts (serialisation failures).
constexpr int kMaxAttempts = 3;

}  // namespace

std::mutex& AuditLog::StripeFor(std::string_view org_id) {
  return stripes_[std::hash<std::string_view>()(org_id) % stripes_.size()];
}

Result<std::optional<v1::AuditEvent>> AuditLog::Append(const v1::AuditRecord& input,
                                                       std::string_view source_event_id) {
  MH_ASSIGN_OR_RETURN(const v1::AuditRecord record, NormalizeRecord(input, clock_.NowUnixMillis()));
  std::lock_guard lock(StripeFor(record.org_id()));
  std::optional<v1::AuditEvent> appended;
  Status st;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    appended.reset();
    st = db_.Transaction([&](sql::Session& tx) -> Status {
      if (!source_event_id.empty()) {
        MH_ASSIGN_OR_RETURN(const bool first_time,
                            sql::MarkEventProcessed(tx, kAuditConsumer, source_event_id));
        if (!first_time) return Status::Ok();
      }
      // Lock the organisation's head row, then read it: appenders to one organisation queue
      // here (PostgreSQL row lock; SQLite transactions are serial anyway), and a statement after
      // the lock sees the newest committed head.
      MH_TRY(tx.Exec("INSERT INTO audit_heads (org_id, seq, hash) VALUES ($1, 0, $2) "
                     "ON CONFLICT (org_id) DO NOTHING",
                     {record.org_id(), std::string(kGenesisHash)})
                 .status());
      MH_TRY(tx.Exec("UPDATE audit_heads SET seq = seq WHERE org_id = $1", {record.org_id()})
                 .status());
      MH_ASSIGN_OR_RETURN(sql::Rows head, tx.Query("SELECT seq, hash FROM audit_heads WHERE "
                                                   "org_id = $1",
                                                   {record.org_id()}));
      if (head.empty()) return Internal("audit head vanished inside its own transaction");
      v1::AuditEvent e;
      e.set_id(NewId("aud_"));
      e.set_seq(head.Int(0, 0) + 1);
      *e.mutable_record() = record;
      e.set_source_event_id(std::string(source_event_id));
      e.set_recorded_at_ms(clock_.NowUnixMillis());
      e.set_prev_hash(head.Text(0, 1));
      e.set_hash(ComputeAuditHash(e));
      MH_TRY(tx.Exec("INSERT INTO audit_events (id, org_id, seq, at_ms, actor_id, action, "
                     "target_type, target_id, ip, user_agent, result, request_id, "
                     "source_event_id, recorded_at_ms, prev_hash, hash) VALUES ($1, $2, $3, $4, "
                     "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                     {e.id(), record.org_id(), e.seq(), record.at_ms(), record.actor_id(),
                      record.action(), record.target_type(), record.target_id(), record.ip(),
                      record.user_agent(), record.result(), record.request_id(),
                      e.source_event_id(), e.recorded_at_ms(), e.prev_hash(), e.hash()})
                 .status());
      MH_TRY(tx.Exec("UPDATE audit_heads SET seq = $2, hash = $3 WHERE org_id = $1",
                     {record.org_id(), e.seq(), e.hash()})
                 .status());
      appended = std::move(e);
      return Status::Ok();
    });
    if (st.code() != StatusCode::kAlreadyExists && st.code() != StatusCode::kAborted) break;
  }
  MH_TRY(st);
  return appended;
}

Result<v1::AppendDirectResponse> AuditLog::AppendDirect(const v1::AppendDirectRequest& request) {
  MH_ASSIGN_OR_RETURN(std::optional<v1::AuditEvent> event, Append(request.record(), {}));
  if (!event) return Internal("direct audit append produced no event");
  v1::AppendDirectResponse out;
  *out.mutable_event() = std::move(*event);
  return out;
}

}  // namespace milkyhoop::audit
