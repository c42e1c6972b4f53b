#include "auth_events.hpp"

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::auth {
namespace {

Status Append(sql::Session& tx, const Clock& clock, std::string_view type,
              const google::protobuf::MessageLite& payload) {
  sql::OutboxEvent event;
  event.id = NewId("evt_");
  event.type = std::string(type);
  // User-level events belong to no organisation.
  event.tenant_id = "";
  if (!payload.SerializeToString(&event.payload)) {
    return Internal("cannot serialise the payload of event " + event.type);
  }
  event.created_at_ms = clock.NowUnixMillis();
  return sql::AppendOutbox(tx, event);
}

}  // namespace

Status AppendAudit(sql::Session& tx, const Clock& clock, std::string_view action,
                   const AuditTarget& target, const AuditContext& context, bool success) {
  audit::v1::AuditRecord record;
  record.set_org_id("");
  record.set_actor_id(context.actor_id);
  record.set_action(std::string(action));
  record.set_target_type(std::string(target.type));
  record.set_target_id(std::string(target.id));
  record.set_ip(context.ip);
  record.set_user_agent(context.user_agent);
  record.set_result(success ? "success" : "failure");
  record.set_at_ms(clock.NowUnixMillis());
  record.set_request_id(context.request_id);
  return Append(tx, clock, kAuditRecordEvent, record);
}

Status AppendUserRegistered(sql::Session& tx, const Clock& clock, std::string_view user_id,
                            std::string_view email, std::string_view name) {
  org::v1::UserRegistered event;
  event.set_user_id(std::string(user_id));
  event.set_email(std::string(email));
  event.set_name(std::string(name));
  return Append(tx, clock, kUserRegisteredEvent, event);
}

}  // namespace milkyhoop::auth
