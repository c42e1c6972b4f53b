#pragma once
// The list of ChatbotService calls, for the adapters: X(Method) for each rpc whose messages are
// v1::<Method>Request and v1::<Method>Response.
#define MH_CHATBOT_RPCS(X) \
  X(GetBot)                \
  X(UpdateBot)             \
  X(Chat)                  \
  X(SubmitFeedback)        \
  X(LocateConversation)    \
  X(ListConversations)     \
  X(GetConversation)       \
  X(ListMessages)          \
  X(PostAgentMessage)      \
  X(ChangeConversationStatus)
