#pragma once
// The auth service across gRPC, for the composition root: serve an implementation, or reach a
// remote one behind the same AuthService interface. Only the composition root and tests include
// this header; callers of the service include auth_service.hpp.

#include <chrono>
#include <memory>

#include <grpcpp/channel.h>
#include <grpcpp/impl/service_type.h>

#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::auth {

// Name of the service in transport errors ("service auth unavailable: ...").
inline constexpr char kServiceName[] = "auth";

// Callback-API gRPC service forwarding to `service`, which must outlive it. Every method
// touches the database (and argon2id costs ~60 ms), so give it the blocking pool.
std::unique_ptr<grpc::Service> MakeAuthGrpcService(AuthService& service,
                                                   rpc::Executor executor = {});

// AuthService implemented by calls over `channel` (see rpc::MakeChannel), each with `deadline`.
std::unique_ptr<AuthService> MakeAuthGrpcClient(
    std::shared_ptr<grpc::Channel> channel,
    std::chrono::milliseconds deadline = rpc::kDefaultCallDeadline);

}  // namespace milkyhoop::auth
