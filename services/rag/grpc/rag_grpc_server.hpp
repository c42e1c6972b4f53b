#pragma once
// Server adapter: the generated callback service, forwarding each call to a RagService.

#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/rag/v1/rag.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"
#include "rag_rpcs.hpp"

namespace milkyhoop::rag {

class RagGrpcServer final : public v1::RagService::CallbackService {
 public:
  RagGrpcServer(RagService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

#define MH_RAG_DECLARE(Method)                                           \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  MH_RAG_RPCS(MH_RAG_DECLARE)
#undef MH_RAG_DECLARE

 private:
  RagService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::rag
