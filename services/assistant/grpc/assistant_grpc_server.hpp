#pragma once
// Server adapter: the generated callback service, forwarding each call to an AssistantService.

#include "assistant_rpcs.hpp"
#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/assistant/v1/assistant.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::assistant {

class AssistantGrpcServer final : public v1::AssistantService::CallbackService {
 public:
  AssistantGrpcServer(AssistantService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

#define MH_ASSISTANT_DECLARE(Method)                                     \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  MH_ASSISTANT_RPCS(MH_ASSISTANT_DECLARE)
#undef MH_ASSISTANT_DECLARE

 private:
  AssistantService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::assistant
