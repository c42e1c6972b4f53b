#include "chatbot_grpc_server.hpp"

#include "chat_stream_server.hpp"
#include "milkyhoop/chatbot/chatbot_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::chatbot {

#define MH_CHATBOT_SERVE(Method)                                                            \
  grpc::ServerUnaryReactor* ChatbotGrpcServer::Method(grpc::CallbackServerContext* context, \
                                                      const v1::Method##Request* request,   \
                                                      v1::Method##Response* response) {     \
    return rpc::ServeUnary(                                                                 \
        "chatbot." #Method, context, request, response,                                     \
        [this](const v1::Method##Request& r) { return service_.Method(r); }, executor_);    \
  }
MH_CHATBOT_RPCS(MH_CHATBOT_SERVE)
#undef MH_CHATBOT_SERVE

grpc::ServerWriteReactor<v1::ChatStreamEvent>* ChatbotGrpcServer::StreamChat(
    grpc::CallbackServerContext*, const v1::ChatRequest* request) {
  return ServeChatStream(service_, *request, executor_);
}

std::unique_ptr<grpc::Service> MakeChatbotGrpcService(ChatbotService& service,
                                                      rpc::Executor executor) {
  return std::make_unique<ChatbotGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::chatbot
