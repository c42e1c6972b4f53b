#pragma once
// The health service across gRPC, for the composition root: serve an implementation, or reach a
// remote one behind the same HealthService interface. Only the composition root and tests include
// this header; callers of the service include health_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::health {

// Name of the service in transport errors ("service health unavailable: ...").
inline constexpr char kServiceName[] = "health";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Probes may block
// (a database ping), so give it the blocking pool as `executor`; without one the implementation
// runs on gRPC's own threads.
std::unique_ptr<grpc::Service> MakeHealthGrpcService(HealthService& service,
                                                     rpc::Executor executor = {});

// HealthService implemented by calls over `channel` (see rpc::MakeChannel), each with `deadline`.
// Transport failures come back as kUnavailable / kDeadlineExceeded.
std::unique_ptr<HealthService> MakeHealthGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::health
