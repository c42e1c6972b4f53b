#pragma once
// The audit-logging service: a tamper-evident log of who did what, one hash chain per
// organisation. Services feed it through "audit.record" events (milkyhoop.audit.v1.AuditRecord,
// appended to their outbox in the transaction of the change); AppendDirect is for a caller that
// audits an action without a state change of its own. Callers hold an AuditService&; the
// composition root decides whether it is the implementation (milkyhoop/audit/audit_factory.hpp)
// or a gRPC client (milkyhoop/audit/audit_grpc.hpp).
//
// The chain: each event stores prev_hash (the hash of the organisation's previous event, 64
// zeros for the first) and hash = SHA-256 over a canonical encoding of prev_hash and every stored
// field (services/audit/README.md). Changing, removing or reordering a stored event breaks the
// chain at that point, which VerifyChain reports; so does removing the newest events, which
// leaves the stored head naming them. Rewriting the events and the head consistently can only
// be detected against a head_hash kept elsewhere.

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::audit {

// The event type services append to their outbox; payload v1::AuditRecord, tenant = org_id.
inline constexpr char kAuditRecordEvent[] = "audit.record";
// The consumer (group) name of the audit service on the bus and in processed_events.
inline constexpr char kAuditConsumer[] = "audit";

// v1:: below is the generated milkyhoop::audit::v1 (proto/milkyhoop/audit/v1/audit.proto).
class AuditService {
 public:
  virtual ~AuditService();

  // Events of one organisation, newest first (descending seq), filtered by action, actor and a
  // window on at_ms [from_ms, to_ms). limit 1..200 (0 → 50); kInvalidArgument naming the field
  // otherwise, or for a cursor this list did not return.
  virtual Result<v1::ListAuditEventsResponse> ListEvents(
      const v1::ListAuditEventsRequest& request) = 0;

  // Recomputes the organisation's chain in order: {ok, count, head_hash}, or {ok: false,
  // first_bad_id, reason} at the first event whose seq, prev_hash or hash does not match, or when
  // the chain does not end at the stored head (reason "head").
  virtual Result<v1::VerifyChainResponse> VerifyChain(const v1::VerifyChainRequest& request) = 0;

  // Appends one record now. record.org_id and record.action are required, record.result is
  // "success" or "failure"; at_ms 0 means now. Over-long fields are cut (at a character boundary)
  // rather than refused: losing an audit record is worse than shortening a user agent.
  virtual Result<v1::AppendDirectResponse> AppendDirect(const v1::AppendDirectRequest& request) = 0;
};

}  // namespace milkyhoop::audit
