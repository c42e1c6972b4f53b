#pragma once
// Appending the service's events to its outbox inside the caller's transaction, so an event is
// published if and only if the change it announces commits.
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::chatbot {

// With the conversation's last messages as context (read in `tx`, so the event sees them).
Status AppendHandedOff(sql::Session& tx, const std::string& org_id,
                       const v1::Conversation& conversation, std::string_view reason,
                       std::int64_t now_ms);

Status AppendBudgetExhausted(sql::Session& tx, const v1::BudgetExhausted& event,
                             std::int64_t now_ms);

}  // namespace milkyhoop::chatbot
