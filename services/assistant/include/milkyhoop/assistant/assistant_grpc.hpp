#pragma once
// The assistant service across gRPC, for the composition root: serve an implementation, or
// reach a remote one behind the same AssistantService interface. Only the composition root and
// tests include this header; callers include assistant_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::assistant {

// Name of the service in transport errors ("service assistant unavailable: ...").
inline constexpr char kServiceName[] = "assistant";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Every call touches
// databases: give it the blocking pool as `executor`.
std::unique_ptr<grpc::Service> MakeAssistantGrpcService(AssistantService& service,
                                                        rpc::Executor executor = {});

// AssistantService implemented by calls over `channel` (see rpc::MakeChannel), each with
// `deadline`.
std::unique_ptr<AssistantService> MakeAssistantGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::assistant
