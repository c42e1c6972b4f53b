#pragma once
// Server adapter: the generated callback service, forwarding each call to a ChatbotService.

#include "chatbot_rpcs.hpp"
#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/chatbot/v1/chatbot.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::chatbot {

class ChatbotGrpcServer final : public v1::ChatbotService::CallbackService {
 public:
  ChatbotGrpcServer(ChatbotService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

#define MH_CHATBOT_DECLARE(Method)                                       \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  MH_CHATBOT_RPCS(MH_CHATBOT_DECLARE)
#undef MH_CHATBOT_DECLARE
  grpc::ServerWriteReactor<v1::ChatStreamEvent>* StreamChat(
      grpc::CallbackServerContext* context, const v1::ChatRequest* request) override;

 private:
  ChatbotService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::chatbot
