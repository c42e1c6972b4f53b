#pragma once
// The implementation of ChatbotService, for the composition root (and tests).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/chatbot/conversation_turns.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/llm/llm_client.hpp"
#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/redis/redis_client.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::chatbot {

// Applies the chatbot service's migrations (service name "chatbot") to `db`, its own database.
Status MigrateChatbotDatabase(sql::Database& db);

// Price of LLM tokens, in the budget currency's minor unit (IDR: rupiah) per 1,000 tokens.
struct ModelPrice {
  std::int64_t prompt_per_1k = 0;
  std::int64_t completion_per_1k = 0;
};

// The longest LLM call a bot may be set to (its llm.timeout_ms): what bounds a customer turn.
inline constexpr std::chrono::milliseconds kMaxBotLlmTimeout{120'000};

struct ChatbotOptions {
  // Key of the conversation tokens (HMAC-SHA256), at least 32 bytes, from config/keys; the same
  // on every process serving the same conversations. Required.
  std::string token_key;
  // The LLM client, shared by every bot (each bot names its own endpoint). Optional: without
  // one, tiers 2 and 3 answer extractively. Must outlive the service.
  llm::LlmClient* llm = nullptr;
  // Prices by model name; a model not listed costs default_price.
  std::map<std::string, ModelPrice> prices;
  ModelPrice default_price{5, 15};
  // Entries of the in-memory answer cache (all businesses together); 0 disables it.
  std::size_t answer_cache_entries = 10'000;
  // Redis as the answer cache's second level, shared by every process (entries expire after
  // answer_cache_ttl); null: memory only. Must outlive the service.
  redis::RedisClient* shared_answer_cache = nullptr;
  std::chrono::seconds answer_cache_ttl{24 * 3600};
  // Where a conversation's turn in progress is held, so a second message to it fails
  // (kAborted) until the first is answered: Redis (MakeRedisConversationTurns) when several
  // processes serve the same conversations. Null: the service's own memory. Must outlive it.
  ConversationTurns* conversation_turns = nullptr;
  // Longest customer message, in characters (UTF-8 code points).
  std::size_t max_message_chars = 2'000;
  // Earlier turns given to the LLM: at most this many messages within this many tokens
  // (estimated as characters / 4).
  int max_history_messages = 10;
  int history_token_budget = 600;
  // Source text given to the LLM per source, in bytes.
  std::size_t max_source_bytes = 1'500;
  // Where a streamed LLM answer is recorded once it ends (SQL blocks): the server's blocking
  // pool in production. Empty → a worker thread of the service's own.
  std::function<void(std::function<void()>)> executor;
};

class ChatbotServiceHost {
 public:
  virtual ~ChatbotServiceHost() = default;
  virtual ChatbotService& service() = 0;
  // Cancels LLM streams still running and waits for their answers to be recorded.
  virtual void Stop() = 0;
};

// The implementation over a migrated `db`. `rag` searches the business's knowledge, `businesses`
// gives its profile, `security` seals the bots' LLM API keys. All must outlive it.
// kInvalidArgument when the token key is missing or short.
Result<std::unique_ptr<ChatbotServiceHost>> MakeChatbotService(
    sql::Database& db, rag::RagService& rag, business::BusinessService& businesses,
    security::SecurityService& security, const Clock& clock, ChatbotOptions options);

}  // namespace milkyhoop::chatbot
