// Conversation turns held in Redis, shared by every process serving the same conversations, with
// this process's memory as the fallback while Redis does not answer.
#include <atomic>

#include "milkyhoop/chatbot/conversation_turns.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"

namespace milkyhoop::chatbot {
namespace {

// Deletes the key only while it still holds this lease: a turn that outlived its TTL must not
// free the conversation for the turn that took it since.
const char* const kEndLua = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

const redis::Script& EndScript() {
  static const redis::Script script(kEndLua);
  return script;
}

// Leases handed out by the fallback carry this prefix, so End knows where they live.
constexpr std::string_view kLocalPrefix = "local:";

class RedisConversationTurns final : public ConversationTurns {
 public:
  RedisConversationTurns(redis::RedisClient& redis, std::chrono::milliseconds ttl,
                         metrics::Registry* metrics)
      : redis_(redis), ttl_ms_(std::to_string(ttl.count())), local_(MakeMemoryConversationTurns()) {
    if (metrics) {
      failures_ = metrics->GetCounter(
          "milkyhoop_conversation_turns_redis_failures_total",
          "Conversation turns begun or ended in this process's memory because Redis did not "
          "answer");
    }
  }

  Result<std::optional<std::string>> TryBegin(std::string_view conversation_id) override {
    std::string lease = NewId("turn_");
    auto reply = redis_.Command({"SET", Key(conversation_id), lease, "NX", "PX", ttl_ms_});
    if (reply.ok()) {
      Recovered();
      // SET NX answers OK when it set the key, nil when another turn holds it.
      if (reply->kind == redis::Reply::Kind::kNil) return std::optional<std::string>();
      return std::optional<std::string>(std::move(lease));
    }
    Failed("begin", reply.status());
    MH_ASSIGN_OR_RETURN(std::optional<std::string> local, local_->TryBegin(conversation_id));
    if (!local) return local;
    return std::optional<std::string>(std::string(kLocalPrefix) + *local);
  }

  void End(std::string_view conversation_id, std::string_view lease) override {
    if (lease.starts_with(kLocalPrefix)) {
      local_->End(conversation_id, lease.substr(kLocalPrefix.size()));
      return;
    }
    // Not given back (Redis down): it expires with its TTL.
    auto reply = redis_.Eval(EndScript(), {Key(conversation_id)}, {std::string(lease)});
    if (reply.ok()) {
      Recovered();
    } else {
      Failed("end", reply.status());
    }
  }

 private:
  static std::string Key(std::string_view conversation_id) {
    return "milkyhoop:turn:" + std::string(conversation_id);
  }

  // Counted every time, logged once per outage (Redis down would otherwise log every message).
  void Failed(std::string_view what, const Status& status) {
    if (failures_) failures_->Inc();
    if (!down_.exchange(true)) {
      MH_LOG_WARN("chatbot: Redis does not answer; conversation turns are held in this process",
                  {"op", std::string(what)}, {"error", status.ToString()});
    }
  }
  void Recovered() {
    if (down_.exchange(false)) MH_LOG_INFO("chatbot: Redis answers again for conversation turns");
  }

  redis::RedisClient& redis_;
  const std::string ttl_ms_;
  const std::unique_ptr<ConversationTurns> local_;
  metrics::Counter* failures_ = nullptr;
  std::atomic<bool> down_{false};
};

}  // namespace

std::unique_ptr<ConversationTurns> MakeRedisConversationTurns(redis::RedisClient& redis,
                                                              std::chrono::milliseconds ttl,
                                                              metrics::Registry* metrics) {
  return std::make_unique<RedisConversationTurns>(redis, ttl, metrics);
}

}  // namespace milkyhoop::chatbot
