#include "org_outbox.hpp"

#include <string>

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::org {

Status AppendAuditRecord(sql::Session& tx, const Clock& clock, const v1::AuditContext& audit,
                         const AuditEntry& entry) {
  audit::v1::AuditRecord record;
  record.set_org_id(std::string(entry.org_id));
  record.set_actor_id(audit.actor_id());
  record.set_action(std::string(entry.action));
  record.set_target_type(std::string(entry.target_type));
  record.set_target_id(std::string(entry.target_id));
  record.set_ip(audit.ip());
  record.set_user_agent(audit.user_agent());
  record.set_result(entry.success ? "success" : "failure");
  record.set_at_ms(clock.NowUnixMillis());
  record.set_request_id(audit.request_id());
  return AppendDomainEvent(tx, clock, kAuditRecordEvent, entry.org_id, record, audit.trace_id());
}

Status AppendDomainEvent(sql::Session& tx, const Clock& clock, std::string_view type,
                         std::string_view org_id, const google::protobuf::MessageLite& payload,
                         std::string_view trace_id) {
  sql::OutboxEvent event;
  event.id = NewId("evt_");
  event.type = std::string(type);
  event.tenant_id = std::string(org_id);
  if (!payload.SerializeToString(&event.payload)) {
    return Internal("cannot serialise the payload of event " + event.type);
  }
  event.trace_id = std::string(trace_id);
  event.created_at_ms = clock.NowUnixMillis();
  return sql::AppendOutbox(tx, event);
}

}  // namespace milkyhoop::org
