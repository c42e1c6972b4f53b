#pragma once
// The implementation of ChatbotService over its own database. Calls are split by subject:
// chatbot_service_impl.cpp (settings, factory), chat_turn.cpp (a customer turn: the tier router,
// the LLM stream, hand-off), conversations.cpp (feedback and the owner's calls).

#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "answer_cache.hpp"
#include "conversation_token.hpp"
#include "llm_budget.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "prompt_builder.hpp"
#include "tier_router.hpp"
#include "work_queue.hpp"

namespace milkyhoop::chatbot {

// Everything a turn carries from its start to its recorded answer.
struct TurnState;

class ChatbotServiceImpl final : public ChatbotService {
 public:
  ChatbotServiceImpl(sql::Database& db, rag::RagService& rag, business::BusinessService& businesses,
                     security::SecurityService& security, const Clock& clock,
                     ChatbotOptions options, ConversationTokens tokens);
  ~ChatbotServiceImpl() override;

  Result<v1::GetBotResponse> GetBot(const v1::GetBotRequest& request) override;
  Result<v1::UpdateBotResponse> UpdateBot(const v1::UpdateBotRequest& request) override;
  Result<v1::ChatResponse> Chat(const v1::ChatRequest& request) override;
  Result<std::shared_ptr<ChatTurn>> StreamChat(const v1::ChatRequest& request,
                                               ChatCallbacks callbacks) override;
  Result<v1::SubmitFeedbackResponse> SubmitFeedback(
      const v1::SubmitFeedbackRequest& request) override;
  Result<v1::LocateConversationResponse> LocateConversation(
      const v1::LocateConversationRequest& request) override;
  Result<v1::ListConversationsResponse> ListConversations(
      const v1::ListConversationsRequest& request) override;
  Result<v1::GetConversationResponse> GetConversation(
      const v1::GetConversationRequest& request) override;
  Result<v1::ListMessagesResponse> ListMessages(const v1::ListMessagesRequest& request) override;
  Result<v1::PostAgentMessageResponse> PostAgentMessage(
      const v1::PostAgentMessageRequest& request) override;
  Result<v1::ChangeConversationStatusResponse> ChangeConversationStatus(
      const v1::ChangeConversationStatusRequest& request) override;

  void Stop();

 private:
  // The bot's settings (defaults when none are stored) and its sealed API key.
  Result<v1::BotSettings> LoadBot(sql::Session& s, const std::string& org_id,
                                  const std::string& business_id, std::string* sealed_key);
  // A turn up to the point where its answer is known or an LLM stream is needed. When
  // `llm_request` comes back set, the caller starts the stream and calls FinishLlm.
  Result<std::shared_ptr<TurnState>> BeginTurn(const v1::ChatRequest& request,
                                               ChatCallbacks callbacks,
                                               std::optional<llm::ChatRequest>* llm_request);
  // Starts the LLM stream of a turn. Its end is recorded on the executor, or, with
  // `finish_on_caller`, handed to the waiting caller through that promise (the caller then
  // records it and calls EndStream(*stream_id), so Stop() waits for that record too).
  std::shared_ptr<ChatTurn> StartStream(
      const std::shared_ptr<TurnState>& st, llm::ChatRequest request,
      std::shared_ptr<std::promise<llm::ChatResult>> finish_on_caller,
      std::uint64_t* stream_id = nullptr);
  void EndStream(std::uint64_t id);
  // Records an answer known at once and reports it (deltas of a few words, then done).
  void DeliverImmediate(const std::shared_ptr<TurnState>& st);
  // Records a streamed answer (or its extractive fallback) once the LLM is done.
  void FinishLlm(const std::shared_ptr<TurnState>& st, llm::ChatResult result);
  // Writes the bot's message and the day's LLM spend; fills the final response.
  Status RecordBotMessage(TurnState& st);
  Result<v1::Conversation> LoadConversation(sql::Session& s, const std::string& org_id,
                                            const std::string& conversation_id);
  void Post(std::function<void()> task);

  sql::Database& db_;
  rag::RagService& rag_;
  business::BusinessService& businesses_;
  security::SecurityService& security_;
  const Clock& clock_;
  ChatbotOptions options_;
  ConversationTokens tokens_;
  AnswerCache cache_;
  PriceTable prices_;
  // The conversations with a turn in progress (options_.conversation_turns, or own_turns_).
  std::unique_ptr<ConversationTurns> own_turns_;
  ConversationTurns& turns_;

  // Streams in flight, so Stop() can cancel them and wait for their answers to be recorded.
  std::mutex mu_;
  std::condition_variable idle_;
  std::unordered_map<std::uint64_t, std::shared_ptr<llm::ChatStream>> streams_;
  std::uint64_t next_stream_ = 0;
  int in_flight_ = 0;
  bool stopped_ = false;
  std::unique_ptr<WorkQueue> own_queue_;  // when options_.executor is empty
};

}  // namespace milkyhoop::chatbot
