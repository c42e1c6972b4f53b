#include "audit_grpc_client.hpp"

#include <utility>

#include "milkyhoop/audit/audit_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::audit {

AuditGrpcClient::AuditGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                 std::chrono::milliseconds deadline)
    : stub_(v1::AuditService::NewStub(std::move(channel))), deadline_(deadline) {}

Result<v1::ListAuditEventsResponse> AuditGrpcClient::ListEvents(
    const v1::ListAuditEventsRequest& request) {
  return rpc::CallUnary<v1::ListAuditEventsResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::ListAuditEventsResponse* response) {
        return stub_->ListEvents(context, request, response);
      });
}

Result<v1::VerifyChainResponse> AuditGrpcClient::VerifyChain(
    const v1::VerifyChainRequest& request) {
  return rpc::CallUnary<v1::VerifyChainResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::VerifyChainResponse* response) {
        return stub_->VerifyChain(context, request, response);
      });
}

Result<v1::AppendDirectResponse> AuditGrpcClient::AppendDirect(
    const v1::AppendDirectRequest& request) {
  return rpc::CallUnary<v1::AppendDirectResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::AppendDirectResponse* response) {
        return stub_->AppendDirect(context, request, response);
      });
}

std::unique_ptr<AuditService> MakeAuditGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                  std::chrono::milliseconds deadline) {
  return std::make_unique<AuditGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::audit
