#pragma once
// Client adapter: AssistantService implemented by calls to a remote AssistantService over gRPC.

#include <chrono>
#include <memory>

#include "assistant_rpcs.hpp"
#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/assistant/v1/assistant.grpc.pb.h"

namespace milkyhoop::assistant {

class AssistantGrpcClient final : public AssistantService {
 public:
  AssistantGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

#define MH_ASSISTANT_DECLARE(Method) \
  Result<v1::Method##Response> Method(const v1::Method##Request& request) override;
  MH_ASSISTANT_RPCS(MH_ASSISTANT_DECLARE)
#undef MH_ASSISTANT_DECLARE

 private:
  std::unique_ptr<v1::AssistantService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::assistant
