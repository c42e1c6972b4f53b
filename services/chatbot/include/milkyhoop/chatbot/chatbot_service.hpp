#pragma once
// The chatbot service: a business's customer-facing bot. A customer turn is answered by the tier
// router (knowledge search → FAQ direct, LLM grounded on the sources, or deflection), recorded
// with its citations, and handed to the owner when the customer asks for a human or the bot
// keeps failing. Callers hold a ChatbotService&; the composition root decides whether it is the
// implementation (chatbot_factory.hpp) or a gRPC client (chatbot_grpc.hpp).
//
// Authorisation is the caller's job; the service enforces tenancy (every owner call names
// org_id, another organisation's conversation is kNotFound) and conversation ownership on the
// customer side (a conversation continues only with its signed conversation_token).
//
// Error codes, as the gateway maps them:
//   kInvalidArgument (400)    a field is wrong (field_errors() names it), the message is empty or
//                             too long
//   kUnauthenticated (401)    conversation_token missing or not this conversation's
//   kNotFound (404)           no such business bot / conversation / message in org_id
//   kFailedPrecondition (409) a status change that does not apply (release an open one...)
//   kResourceExhausted (429)  too many streams in flight for this business

#include <functional>
#include <memory>
#include <string_view>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::chatbot {

// Where a streamed turn reports. Callbacks may run on any thread (the caller's for answers
// known at once, the LLM client's while it streams), one at a time, in this order:
// on_meta once, on_delta any number of times, on_done once.
struct ChatCallbacks {
  // conversation_id, conversation_token, message_id and language are set.
  std::function<void(const v1::ChatResponse& meta)> on_meta;
  std::function<void(std::string_view text)> on_delta;
  // The whole answer (its text is the concatenation of the deltas, unless fallback replaced a
  // failed partial LLM answer: then `answer` is the extractive text, sent as deltas after it).
  std::function<void(const v1::ChatResponse& done)> on_done;
};

// A turn in flight. Cancel() (any thread, idempotent) stops the upstream LLM request; on_done
// still runs once.
class ChatTurn {
 public:
  virtual ~ChatTurn() = default;
  virtual void Cancel() = 0;
};

class ChatbotService {
 public:
  virtual ~ChatbotService();

  // Bot settings; a business without stored settings has the defaults.
  virtual Result<v1::GetBotResponse> GetBot(const v1::GetBotRequest& request) = 0;
  virtual Result<v1::UpdateBotResponse> UpdateBot(const v1::UpdateBotRequest& request) = 0;

  // One customer turn, answered whole (blocks while an LLM answers, up to its timeout).
  virtual Result<v1::ChatResponse> Chat(const v1::ChatRequest& request) = 0;
  // The same turn, streamed: errors found before the answer starts (bad token, message too long)
  // are returned here and no callback runs; otherwise the callbacks run as documented above.
  // This base version answers through Chat() and replays the answer as deltas; the
  // implementation streams LLM deltas as they arrive, and the gRPC client relays them from a
  // remote implementation over a server stream (Cancel() ends the call, which cancels there).
  virtual Result<std::shared_ptr<ChatTurn>> StreamChat(const v1::ChatRequest& request,
                                                       ChatCallbacks callbacks);

  virtual Result<v1::SubmitFeedbackResponse> SubmitFeedback(
      const v1::SubmitFeedbackRequest& request) = 0;

  // Owner side.
  virtual Result<v1::LocateConversationResponse> LocateConversation(
      const v1::LocateConversationRequest& request) = 0;
  virtual Result<v1::ListConversationsResponse> ListConversations(
      const v1::ListConversationsRequest& request) = 0;
  virtual Result<v1::GetConversationResponse> GetConversation(
      const v1::GetConversationRequest& request) = 0;
  virtual Result<v1::ListMessagesResponse> ListMessages(const v1::ListMessagesRequest& request) = 0;
  virtual Result<v1::PostAgentMessageResponse> PostAgentMessage(
      const v1::PostAgentMessageRequest& request) = 0;
  virtual Result<v1::ChangeConversationStatusResponse> ChangeConversationStatus(
      const v1::ChangeConversationStatusRequest& request) = 0;
};

// Splits an answer known at once into deltas of a few words (the shape of a streamed answer),
// keeping every byte: their concatenation is `text`.
std::vector<std::string> SplitIntoDeltas(std::string_view text, int words_per_delta = 4);

}  // namespace milkyhoop::chatbot
