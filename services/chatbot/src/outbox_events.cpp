#include "outbox_events.hpp"

#include <algorithm>

#include "chatbot_rows.hpp"
#include "milkyhoop/chatbot/chatbot_events.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::chatbot {
namespace {

constexpr int kContextMessages = 20;

Status Append(sql::Session& tx, std::string_view type, const std::string& org_id,
              const google::protobuf::MessageLite& payload, std::int64_t now_ms) {
  sql::OutboxEvent event;
  event.id = NewId("evt_");
  event.type = std::string(type);
  event.tenant_id = org_id;
  if (!payload.SerializeToString(&event.payload)) {
    return Internal("cannot serialise the payload of event " + event.type);
  }
  event.created_at_ms = now_ms;
  return sql::AppendOutbox(tx, event);
}

}  // namespace

Status AppendHandedOff(sql::Session& tx, const std::string& org_id,
                       const v1::Conversation& conversation, std::string_view reason,
                       std::int64_t now_ms) {
  v1::ConversationHandedOff e;
  e.set_org_id(org_id);
  e.set_business_id(conversation.business_id());
  *e.mutable_conversation() = conversation;
  e.set_reason(std::string(reason));
  e.set_at_ms(now_ms);
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      tx.Query(std::string("SELECT ") + kMessageColumns +
                   " FROM messages m LEFT JOIN feedback f ON f.message_id = m.id "
                   "WHERE m.conversation_id = $1 AND m.org_id = $2 ORDER BY m.seq DESC LIMIT " +
                   std::to_string(kContextMessages),
               {conversation.id(), org_id}));
  for (std::size_t r = rows.size(); r-- > 0;) *e.add_recent_messages() = MessageFromRow(rows, r);
  return Append(tx, kConversationHandedOffEvent, org_id, e, now_ms);
}

Status AppendBudgetExhausted(sql::Session& tx, const v1::BudgetExhausted& event,
                             std::int64_t now_ms) {
  return Append(tx, kBudgetExhaustedEvent, event.org_id(), event, now_ms);
}

}  // namespace milkyhoop::chatbot
