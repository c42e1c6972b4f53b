#pragma once
// The business service across gRPC, for the composition root: serve an implementation, or reach
// a remote one behind the same BusinessService interface. Only the composition root and tests
// include this header; callers include business_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::business {

// Name of the service in transport errors ("service business unavailable: ...").
inline constexpr char kServiceName[] = "business";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Every call touches
// the database: give it the blocking pool as `executor`.
std::unique_ptr<grpc::Service> MakeBusinessGrpcService(BusinessService& service,
                                                       rpc::Executor executor = {});

// BusinessService implemented by calls over `channel` (see rpc::MakeChannel), each with
// `deadline`.
std::unique_ptr<BusinessService> MakeBusinessGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::business
