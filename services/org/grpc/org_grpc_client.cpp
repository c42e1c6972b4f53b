#include "org_grpc_client.hpp"

#include <utility>

#include "milkyhoop/org/org_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::org {

OrgGrpcClient::OrgGrpcClient(std::shared_ptr<grpc::Channel> channel,
                             std::chrono::milliseconds deadline)
    : stub_(v1::OrgService::NewStub(std::move(channel))), deadline_(deadline) {}

#define MH_ORG_CALL(Method)                                                                \
  Result<v1::Method##Response> OrgGrpcClient::Method(const v1::Method##Request& request) { \
    return rpc::CallUnary<v1::Method##Response>(                                           \
        kServiceName, deadline_,                                                           \
        [&](grpc::ClientContext* context, v1::Method##Response* response) {                \
          return stub_->Method(context, request, response);                                \
        });                                                                                \
  }
MH_ORG_RPCS(MH_ORG_CALL)
#undef MH_ORG_CALL

std::unique_ptr<OrgService> MakeOrgGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                              std::chrono::milliseconds deadline) {
  return std::make_unique<OrgGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::org
