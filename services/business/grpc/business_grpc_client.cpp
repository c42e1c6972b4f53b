#include "business_grpc_client.hpp"

#include <utility>

#include "milkyhoop/business/business_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::business {

BusinessGrpcClient::BusinessGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                       std::chrono::milliseconds deadline)
    : stub_(v1::BusinessService::NewStub(std::move(channel))), deadline_(deadline) {}

#define MH_BUSINESS_CALL(Method)                                                                \
  Result<v1::Method##Response> BusinessGrpcClient::Method(const v1::Method##Request& request) { \
    return rpc::CallUnary<v1::Method##Response>(                                                \
        kServiceName, deadline_,                                                                \
        [&](grpc::ClientContext* context, v1::Method##Response* response) {                     \
          return stub_->Method(context, request, response);                                     \
        });                                                                                     \
  }
MH_BUSINESS_RPCS(MH_BUSINESS_CALL)
#undef MH_BUSINESS_CALL

std::unique_ptr<BusinessService> MakeBusinessGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                        std::chrono::milliseconds deadline) {
  return std::make_unique<BusinessGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::business
