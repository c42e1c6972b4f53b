#pragma once
// Client side of StreamChat: a remote streamed turn, delivered to ChatCallbacks as it arrives.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/chatbot/v1/chatbot.grpc.pb.h"

namespace milkyhoop::chatbot {

// The streamed turns of one client adapter. Each turn is started here and, until it is destroyed,
// registered; the destructor cancels those still running and waits for them to be gone. So the
// client's channel outlives every call on it and is never released on one of gRPC's callback
// threads (where gRPC 1.51's callback executor aborts the process: grpc/grpc#32584).
class ChatStreams {
 public:
  ChatStreams() = default;
  ~ChatStreams();
  ChatStreams(const ChatStreams&) = delete;
  ChatStreams& operator=(const ChatStreams&) = delete;

  // Returns once the answer has started (meta delivered) or failed before starting (the
  // service's status, as in-process). Later events reach `callbacks` on gRPC's threads; `done`
  // runs once, with the text received so far if the connection breaks mid-answer. Cancel() ends
  // the call, which cancels the remote turn and its LLM request.
  Result<std::shared_ptr<ChatTurn>> Start(v1::ChatbotService::Stub& stub,
                                          const v1::ChatRequest& request,
                                          std::chrono::milliseconds deadline,
                                          ChatCallbacks callbacks);

  // For the turns: a turn joins once started and leaves at the very end of its destruction.
  void Join(const std::shared_ptr<ChatTurn>& turn);
  void Leave(const ChatTurn* turn);

 private:
  std::mutex mu_;
  std::condition_variable empty_;
  // Weak: a turn being destroyed is not touched (lock() fails), only waited for.
  std::map<const ChatTurn*, std::weak_ptr<ChatTurn>> live_;
};

}  // namespace milkyhoop::chatbot
