#pragma once
// Client adapter: AuditService implemented by calls to a remote AuditService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/audit/v1/audit.grpc.pb.h"

namespace milkyhoop::audit {

class AuditGrpcClient final : public AuditService {
 public:
  AuditGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

  Result<v1::ListAuditEventsResponse> ListEvents(
      const v1::ListAuditEventsRequest& request) override;
  Result<v1::VerifyChainResponse> VerifyChain(const v1::VerifyChainRequest& request) override;
  Result<v1::AppendDirectResponse> AppendDirect(const v1::AppendDirectRequest& request) override;

 private:
  std::unique_ptr<v1::AuditService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::audit
