#pragma once
// Event types the chatbot service emits (payloads: proto/milkyhoop/chatbot/v1/chatbot.proto),
// with the organisation as the event's tenant.

namespace milkyhoop::chatbot {

inline constexpr char kConversationHandedOffEvent[] =
    "chatbot.conversation.handed_off";  // v1::ConversationHandedOff
inline constexpr char kBudgetExhaustedEvent[] = "chatbot.budget.exhausted";  // v1::BudgetExhausted

}  // namespace milkyhoop::chatbot
