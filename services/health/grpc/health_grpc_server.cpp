#include "health_grpc_server.hpp"

#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::health {

grpc::ServerUnaryReactor* HealthGrpcServer::GetStates(grpc::CallbackServerContext* context,
                                                      const v1::GetStatesRequest* request,
                                                      v1::GetStatesResponse* response) {
  return rpc::ServeUnary(
      "health.GetStates", context, request, response,
      [this](const v1::GetStatesRequest& r) { return service_.GetStates(r); }, executor_);
}

std::unique_ptr<grpc::Service> MakeHealthGrpcService(HealthService& service,
                                                     rpc::Executor executor) {
  return std::make_unique<HealthGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::health
