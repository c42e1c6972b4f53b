#include "assistant_grpc_server.hpp"

#include "milkyhoop/assistant/assistant_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::assistant {

#define MH_ASSISTANT_SERVE(Method)                                                            \
  grpc::ServerUnaryReactor* AssistantGrpcServer::Method(grpc::CallbackServerContext* context, \
                                                        const v1::Method##Request* request,   \
                                                        v1::Method##Response* response) {     \
    return rpc::ServeUnary(                                                                   \
        "assistant." #Method, context, request, response,                                     \
        [this](const v1::Method##Request& r) { return service_.Method(r); }, executor_);      \
  }
MH_ASSISTANT_RPCS(MH_ASSISTANT_SERVE)
#undef MH_ASSISTANT_SERVE

std::unique_ptr<grpc::Service> MakeAssistantGrpcService(AssistantService& service,
                                                        rpc::Executor executor) {
  return std::make_unique<AssistantGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::assistant
