#include "health_grpc_client.hpp"

#include <utility>

#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::health {

HealthGrpcClient::HealthGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                   std::chrono::milliseconds deadline)
    : stub_(v1::HealthService::NewStub(std::move(channel))), deadline_(deadline) {}

Result<v1::GetStatesResponse> HealthGrpcClient::GetStates(const v1::GetStatesRequest& request) {
  return rpc::CallUnary<v1::GetStatesResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::GetStatesResponse* response) {
        return stub_->GetStates(context, request, response);
      });
}

std::unique_ptr<HealthService> MakeHealthGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                    std::chrono::milliseconds deadline) {
  return std::make_unique<HealthGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::health
