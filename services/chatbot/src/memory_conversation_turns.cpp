// Conversation turns held in this process's memory: a map from conversation to lease.
#include <mutex>
#include <unordered_map>

#include "milkyhoop/chatbot/conversation_turns.hpp"
#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::chatbot {
namespace {

class MemoryConversationTurns final : public ConversationTurns {
 public:
  Result<std::optional<std::string>> TryBegin(std::string_view conversation_id) override {
    std::lock_guard lock(mu_);
    auto [it, taken] = held_.try_emplace(std::string(conversation_id));
    if (!taken) return std::optional<std::string>();
    it->second = NewId("turn_");
    return std::optional<std::string>(it->second);
  }

  void End(std::string_view conversation_id, std::string_view lease) override {
    std::lock_guard lock(mu_);
    auto it = held_.find(std::string(conversation_id));
    if (it != held_.end() && it->second == lease) held_.erase(it);
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> held_;  // conversation id → lease
};

}  // namespace

std::unique_ptr<ConversationTurns> MakeMemoryConversationTurns() {
  return std::make_unique<MemoryConversationTurns>();
}

}  // namespace milkyhoop::chatbot
