#pragma once
// The rag service across gRPC, for the composition root: serve an implementation, or reach
// a remote one behind the same RagService interface. Only the composition root and tests
// include this header; callers include rag_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::rag {

// Name of the service in transport errors ("service rag unavailable: ...").
inline constexpr char kServiceName[] = "rag";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Every call touches
// the database: give it the blocking pool as `executor`.
std::unique_ptr<grpc::Service> MakeRagGrpcService(RagService& service, rpc::Executor executor = {});

// RagService implemented by calls over `channel` (see rpc::MakeChannel), each with
// `deadline`.
std::unique_ptr<RagService> MakeRagGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::rag
