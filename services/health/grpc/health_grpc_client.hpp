#pragma once
// Client adapter: HealthService implemented by calls to a remote HealthService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/health/v1/health.grpc.pb.h"

namespace milkyhoop::health {

class HealthGrpcClient final : public HealthService {
 public:
  HealthGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

  Result<v1::GetStatesResponse> GetStates(const v1::GetStatesRequest& request) override;

 private:
  std::unique_ptr<v1::HealthService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::health
