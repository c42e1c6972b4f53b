#pragma once
// The security service across gRPC, for the composition root: serve an implementation, or
// reach a remote one behind the same SecurityService interface. Only the composition root and
// tests include this header; callers of the service include security_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"
#include "milkyhoop/security/security_service.hpp"

namespace milkyhoop::security {

// Name of the service in transport errors ("service security unavailable: ...").
inline constexpr char kServiceName[] = "security";

// Callback-API gRPC service forwarding to `service`, which must outlive it. The implementation
// never blocks, so it runs inline on gRPC's threads unless an executor is given.
std::unique_ptr<grpc::Service> MakeSecurityGrpcService(SecurityService& service,
                                                       rpc::Executor executor = {});

// SecurityService implemented by calls over `channel` (see rpc::MakeChannel), each with
// `deadline`. Transport failures come back as kUnavailable / kDeadlineExceeded.
std::unique_ptr<SecurityService> MakeSecurityGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::security
