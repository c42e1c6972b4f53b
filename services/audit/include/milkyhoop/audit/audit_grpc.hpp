#pragma once
// The audit service across gRPC, for the composition root: serve an implementation, or reach a
// remote one behind the same AuditService interface. Only the composition root and tests include
// this header; callers of the service include audit_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::audit {

// Name of the service in transport errors ("service audit unavailable: ...").
inline constexpr char kServiceName[] = "audit";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Every call touches
// the database: give it the blocking pool as `executor`.
std::unique_ptr<grpc::Service> MakeAuditGrpcService(AuditService& service,
                                                    rpc::Executor executor = {});

// AuditService implemented by calls over `channel` (see rpc::MakeChannel), each with `deadline`.
std::unique_ptr<AuditService> MakeAuditGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::audit
