#pragma once
// Client adapter: ChatbotService implemented by calls to a remote ChatbotService over gRPC.

#include <chrono>
#include <memory>

#include "chat_stream_client.hpp"
#include "chatbot_rpcs.hpp"
#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/chatbot/v1/chatbot.grpc.pb.h"

namespace milkyhoop::chatbot {

class ChatbotGrpcClient final : public ChatbotService {
 public:
  ChatbotGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

#define MH_CHATBOT_DECLARE(Method) \
  Result<v1::Method##Response> Method(const v1::Method##Request& request) override;
  MH_CHATBOT_RPCS(MH_CHATBOT_DECLARE)
#undef MH_CHATBOT_DECLARE
  // Over the StreamChat RPC: deltas as the remote LLM writes them; Cancel() reaches it.
  Result<std::shared_ptr<ChatTurn>> StreamChat(const v1::ChatRequest& request,
                                               ChatCallbacks callbacks) override;

 private:
  std::unique_ptr<v1::ChatbotService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
  ChatStreams streams_;  // after stub_: its turns end before the channel may go
};

}  // namespace milkyhoop::chatbot
