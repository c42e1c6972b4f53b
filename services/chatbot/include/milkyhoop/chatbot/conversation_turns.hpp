#pragma once
// Which conversations have a customer turn in progress, so that two turns of one conversation
// never run at once (their answers would interleave in its history). A turn holds a lease on its
// conversation from before it writes anything until its answer is recorded.
//
// Two implementations: this process's own map (the all-in-one default), and Redis (redis.url),
// shared by every process serving the same conversations, where a lease expires by itself after
// its TTL so a process that dies mid-turn frees the conversation.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::metrics {
class Registry;
}

namespace milkyhoop::chatbot {

class ConversationTurns {
 public:
  virtual ~ConversationTurns() = default;
  // The lease of the conversation's turn, or nullopt when another turn holds it. An error only
  // when the store cannot answer and the implementation does not decide for the caller.
  virtual Result<std::optional<std::string>> TryBegin(std::string_view conversation_id) = 0;
  // Ends the turn holding `lease`; never ends another's (a lease that expired and was taken by
  // another turn is left alone).
  virtual void End(std::string_view conversation_id, std::string_view lease) = 0;
};

// In this process's memory: leases do not expire (a process that dies takes its map with it).
std::unique_ptr<ConversationTurns> MakeMemoryConversationTurns();

// In Redis, key "milkyhoop:turn:<conversation_id>" = lease, SET NX PX `ttl`; released by a
// compare-and-delete script. `ttl` must bound the longest turn. While Redis does not answer,
// turns are held in this process's memory instead (fail open: a conversation is then guarded per
// process only), counted in milkyhoop_conversation_turns_redis_failures_total. `redis` (and
// `metrics`, when given) must outlive it.
std::unique_ptr<ConversationTurns> MakeRedisConversationTurns(redis::RedisClient& redis,
                                                              std::chrono::milliseconds ttl,
                                                              metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::chatbot
