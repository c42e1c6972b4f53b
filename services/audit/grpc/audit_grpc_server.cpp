#include "audit_grpc_server.hpp"

#include "milkyhoop/audit/audit_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::audit {

grpc::ServerUnaryReactor* AuditGrpcServer::ListEvents(grpc::CallbackServerContext* context,
                                                      const v1::ListAuditEventsRequest* request,
                                                      v1::ListAuditEventsResponse* response) {
  return rpc::ServeUnary(
      "audit.ListEvents", context, request, response,
      [this](const v1::ListAuditEventsRequest& r) { return service_.ListEvents(r); }, executor_);
}

grpc::ServerUnaryReactor* AuditGrpcServer::VerifyChain(grpc::CallbackServerContext* context,
                                                       const v1::VerifyChainRequest* request,
                                                       v1::VerifyChainResponse* response) {
  return rpc::ServeUnary(
      "audit.VerifyChain", context, request, response,
      [this](const v1::VerifyChainRequest& r) { return service_.VerifyChain(r); }, executor_);
}

grpc::ServerUnaryReactor* AuditGrpcServer::AppendDirect(grpc::CallbackServerContext* context,
                                                        const v1::AppendDirectRequest* request,
                                                        v1::AppendDirectResponse* response) {
  return rpc::ServeUnary(
      "audit.AppendDirect", context, request, response,
      [this](const v1::AppendDirectRequest& r) { return service_.AppendDirect(r); }, executor_);
}

std::unique_ptr<grpc::Service> MakeAuditGrpcService(AuditService& service, rpc::Executor executor) {
  return std::make_unique<AuditGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::audit
