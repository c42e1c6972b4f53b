#include "rag_grpc_server.hpp"

#include "milkyhoop/rag/rag_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::rag {

#define MH_RAG_SERVE(Method)                                                             \
  grpc::ServerUnaryReactor* RagGrpcServer::Method(grpc::CallbackServerContext* context,  \
                                                  const v1::Method##Request* request,    \
                                                  v1::Method##Response* response) {      \
    return rpc::ServeUnary(                                                              \
        "rag." #Method, context, request, response,                                      \
        [this](const v1::Method##Request& r) { return service_.Method(r); }, executor_); \
  }
MH_RAG_RPCS(MH_RAG_SERVE)
#undef MH_RAG_SERVE

std::unique_ptr<grpc::Service> MakeRagGrpcService(RagService& service, rpc::Executor executor) {
  return std::make_unique<RagGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::rag
