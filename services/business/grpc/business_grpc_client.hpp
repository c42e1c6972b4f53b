#pragma once
// Client adapter: BusinessService implemented by calls to a remote BusinessService over gRPC.

#include <chrono>
#include <memory>

#include "business_rpcs.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/business/v1/business.grpc.pb.h"

namespace milkyhoop::business {

class BusinessGrpcClient final : public BusinessService {
 public:
  BusinessGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

#define MH_BUSINESS_DECLARE(Method) \
  Result<v1::Method##Response> Method(const v1::Method##Request& request) override;
  MH_BUSINESS_RPCS(MH_BUSINESS_DECLARE)
#undef MH_BUSINESS_DECLARE

 private:
  std::unique_ptr<v1::BusinessService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::business
