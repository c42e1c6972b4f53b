#pragma once
// Client adapter: OrgService implemented by calls to a remote OrgService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/org/v1/org.grpc.pb.h"
#include "org_rpcs.hpp"

namespace milkyhoop::org {

class OrgGrpcClient final : public OrgService {
 public:
  OrgGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

#define MH_ORG_DECLARE(Method) \
  Result<v1::Method##Response> Method(const v1::Method##Request& request) override;
  MH_ORG_RPCS(MH_ORG_DECLARE)
#undef MH_ORG_DECLARE

 private:
  std::unique_ptr<v1::OrgService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::org
