#pragma once
// Server adapter: the generated callback service, forwarding each call to an AuditService.

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/audit/v1/audit.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::audit {

class AuditGrpcServer final : public v1::AuditService::CallbackService {
 public:
  AuditGrpcServer(AuditService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const v1::ListAuditEventsRequest* request,
                                       v1::ListAuditEventsResponse* response) override;
  grpc::ServerUnaryReactor* VerifyChain(grpc::CallbackServerContext* context,
                                        const v1::VerifyChainRequest* request,
                                        v1::VerifyChainResponse* response) override;
  grpc::ServerUnaryReactor* AppendDirect(grpc::CallbackServerContext* context,
                                         const v1::AppendDirectRequest* request,
                                         v1::AppendDirectResponse* response) override;

 private:
  AuditService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::audit
