#pragma once
// Mapping between audit_events rows and v1::AuditEvent.

#include <string_view>

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::audit {

// Columns read by EventFromRow, in order.
inline constexpr std::string_view kEventColumns =
    "id, org_id, seq, at_ms, actor_id, action, target_type, target_id, ip, user_agent, result, "
    "request_id, source_event_id, recorded_at_ms, prev_hash, hash";

v1::AuditEvent EventFromRow(const sql::Rows& rows, std::size_t r);

}  // namespace milkyhoop::audit
