#include "assistant_grpc_client.hpp"

#include <utility>

#include "milkyhoop/assistant/assistant_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::assistant {

AssistantGrpcClient::AssistantGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                         std::chrono::milliseconds deadline)
    : stub_(v1::AssistantService::NewStub(std::move(channel))), deadline_(deadline) {}

#define MH_ASSISTANT_CALL(Method)                                                                \
  Result<v1::Method##Response> AssistantGrpcClient::Method(const v1::Method##Request& request) { \
    return rpc::CallUnary<v1::Method##Response>(                                                 \
        kServiceName, deadline_,                                                                 \
        [&](grpc::ClientContext* context, v1::Method##Response* response) {                      \
          return stub_->Method(context, request, response);                                      \
        });                                                                                      \
  }
MH_ASSISTANT_RPCS(MH_ASSISTANT_CALL)
#undef MH_ASSISTANT_CALL

std::unique_ptr<AssistantService> MakeAssistantGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                          std::chrono::milliseconds deadline) {
  return std::make_unique<AssistantGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::assistant
