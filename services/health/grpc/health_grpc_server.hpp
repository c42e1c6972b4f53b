#pragma once
// Server adapter: the generated callback service, forwarding to a HealthService.

#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/health/v1/health.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::health {

class HealthGrpcServer final : public v1::HealthService::CallbackService {
 public:
  HealthGrpcServer(HealthService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

  grpc::ServerUnaryReactor* GetStates(grpc::CallbackServerContext* context,
                                      const v1::GetStatesRequest* request,
                                      v1::GetStatesResponse* response) override;

 private:
  HealthService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::health
