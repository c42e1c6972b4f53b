#pragma once
// Server adapter: the generated callback service, forwarding each call to an OrgService.

#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/org/v1/org.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"
#include "org_rpcs.hpp"

namespace milkyhoop::org {

class OrgGrpcServer final : public v1::OrgService::CallbackService {
 public:
  OrgGrpcServer(OrgService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

#define MH_ORG_DECLARE(Method)                                           \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  MH_ORG_RPCS(MH_ORG_DECLARE)
#undef MH_ORG_DECLARE

 private:
  OrgService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::org
