#include "rag_grpc_client.hpp"

#include <utility>

#include "milkyhoop/rag/rag_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::rag {

RagGrpcClient::RagGrpcClient(std::shared_ptr<grpc::Channel> channel,
                             std::chrono::milliseconds deadline)
    : stub_(v1::RagService::NewStub(std::move(channel))), deadline_(deadline) {}

#define MH_RAG_CALL(Method)                                                                \
  Result<v1::Method##Response> RagGrpcClient::Method(const v1::Method##Request& request) { \
    return rpc::CallUnary<v1::Method##Response>(                                           \
        kServiceName, deadline_,                                                           \
        [&](grpc::ClientContext* context, v1::Method##Response* response) {                \
          return stub_->Method(context, request, response);                                \
        });                                                                                \
  }
MH_RAG_RPCS(MH_RAG_CALL)
#undef MH_RAG_CALL

std::unique_ptr<RagService> MakeRagGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                              std::chrono::milliseconds deadline) {
  return std::make_unique<RagGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::rag
