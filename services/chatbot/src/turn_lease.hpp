#pragma once
// A held conversation turn (ConversationTurns) that ends when released or destroyed, so every
// way out of a turn — its answer recorded, a failure after the lease was taken — frees the
// conversation exactly once.
#include <string>
#include <utility>

#include "milkyhoop/chatbot/conversation_turns.hpp"

namespace milkyhoop::chatbot {

class TurnLease {
 public:
  TurnLease() = default;
  TurnLease(ConversationTurns& turns, std::string conversation_id, std::string lease)
      : turns_(&turns), conversation_id_(std::move(conversation_id)), lease_(std::move(lease)) {}
  TurnLease(TurnLease&& o) noexcept
      : turns_(std::exchange(o.turns_, nullptr)),
        conversation_id_(std::move(o.conversation_id_)),
        lease_(std::move(o.lease_)) {}
  TurnLease& operator=(TurnLease&& o) noexcept {
    if (this != &o) {
      Release();
      turns_ = std::exchange(o.turns_, nullptr);
      conversation_id_ = std::move(o.conversation_id_);
      lease_ = std::move(o.lease_);
    }
    return *this;
  }
  TurnLease(const TurnLease&) = delete;
  TurnLease& operator=(const TurnLease&) = delete;
  ~TurnLease() { Release(); }

  void Release() {
    if (auto* turns = std::exchange(turns_, nullptr)) turns->End(conversation_id_, lease_);
  }

 private:
  ConversationTurns* turns_ = nullptr;  // null: nothing held (a new conversation, or released)
  std::string conversation_id_;
  std::string lease_;
};

}  // namespace milkyhoop::chatbot
