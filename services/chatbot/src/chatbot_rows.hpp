#pragma once
// Rows of the chatbot tables as protobuf messages, and citations in their stored JSON form.
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::chatbot {

// Columns of ConversationFromRow, in order.
inline constexpr char kConversationColumns[] =
    "id, business_id, visitor_id, status, low_confidence_streak, message_count, created_at_ms, "
    "updated_at_ms, handoff_notice_sent";
v1::Conversation ConversationFromRow(const sql::Rows& rows, std::size_t r);

// Columns of MessageFromRow, in order (m = messages, f = feedback LEFT JOINed).
inline constexpr char kMessageColumns[] =
    "m.id, m.conversation_id, m.role, m.text, m.tier, m.confidence, m.citations, "
    "m.prompt_tokens, m.completion_tokens, m.latency_ms, m.fallback, m.cached, m.author_id, "
    "m.created_at_ms, f.rating, m.seq";
v1::Message MessageFromRow(const sql::Rows& rows, std::size_t r);

std::string CitationsToJson(const google::protobuf::RepeatedPtrField<v1::Citation>& citations);
std::vector<v1::Citation> CitationsFromJson(std::string_view json);

// Inserts a message of a conversation (all of `m`'s fields but feedback).
Status InsertMessage(sql::Session& tx, std::string_view org_id, std::string_view business_id,
                     const v1::Message& m);

}  // namespace milkyhoop::chatbot
