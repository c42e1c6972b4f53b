#include "chatbot_grpc_client.hpp"

#include <utility>

#include "chat_stream_client.hpp"
#include "milkyhoop/chatbot/chatbot_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::chatbot {

ChatbotGrpcClient::ChatbotGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                     std::chrono::milliseconds deadline)
    : stub_(v1::ChatbotService::NewStub(std::move(channel))), deadline_(deadline) {}

#define MH_CHATBOT_CALL(Method)                                                                \
  Result<v1::Method##Response> ChatbotGrpcClient::Method(const v1::Method##Request& request) { \
    return rpc::CallUnary<v1::Method##Response>(                                               \
        kServiceName, deadline_,                                                               \
        [&](grpc::ClientContext* context, v1::Method##Response* response) {                    \
          return stub_->Method(context, request, response);                                    \
        });                                                                                    \
  }
MH_CHATBOT_RPCS(MH_CHATBOT_CALL)
#undef MH_CHATBOT_CALL

Result<std::shared_ptr<ChatTurn>> ChatbotGrpcClient::StreamChat(const v1::ChatRequest& request,
                                                                ChatCallbacks callbacks) {
  return streams_.Start(*stub_, request, deadline_, std::move(callbacks));
}

std::unique_ptr<ChatbotService> MakeChatbotGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                      std::chrono::milliseconds deadline) {
  return std::make_unique<ChatbotGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::chatbot
