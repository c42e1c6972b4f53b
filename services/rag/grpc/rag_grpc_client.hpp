#pragma once
// Client adapter: RagService implemented by calls to a remote RagService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/rag/v1/rag.grpc.pb.h"
#include "rag_rpcs.hpp"

namespace milkyhoop::rag {

class RagGrpcClient final : public RagService {
 public:
  RagGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

#define MH_RAG_DECLARE(Method) \
  Result<v1::Method##Response> Method(const v1::Method##Request& request) override;
  MH_RAG_RPCS(MH_RAG_DECLARE)
#undef MH_RAG_DECLARE

 private:
  std::unique_ptr<v1::RagService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::rag
