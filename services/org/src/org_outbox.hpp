#pragma once
// What the organisation service writes to its outbox, inside the transaction of the change:
// the audit record of every change and the domain events other services react to.

#include <string_view>

#include <google/protobuf/message_lite.h>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/org/v1/org.pb.h"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::org {

struct AuditEntry {
  std::string_view org_id;
  std::string_view action;  // "org.created", "member.added", ...
  std::string_view target_type;
  std::string_view target_id;
  bool success = true;
};

// Appends an "audit.record" event (milkyhoop.audit.v1.AuditRecord) for `entry` done by `audit`.
Status AppendAuditRecord(sql::Session& tx, const Clock& clock, const v1::AuditContext& audit,
                         const AuditEntry& entry);

// Appends a domain event of `type` for organisation `org_id` carrying `payload`.
Status AppendDomainEvent(sql::Session& tx, const Clock& clock, std::string_view type,
                         std::string_view org_id, const google::protobuf::MessageLite& payload,
                         std::string_view trace_id);

}  // namespace milkyhoop::org
