#pragma once
// Server adapter: the generated callback service, forwarding each call to an BusinessService.

#include "business_rpcs.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/business/v1/business.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::business {

class BusinessGrpcServer final : public v1::BusinessService::CallbackService {
 public:
  BusinessGrpcServer(BusinessService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

#define MH_BUSINESS_DECLARE(Method)                                      \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  MH_BUSINESS_RPCS(MH_BUSINESS_DECLARE)
#undef MH_BUSINESS_DECLARE

 private:
  BusinessService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::business
