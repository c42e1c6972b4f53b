#include "org_grpc_server.hpp"

#include "milkyhoop/org/org_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::org {

#define MH_ORG_SERVE(Method)                                                             \
  grpc::ServerUnaryReactor* OrgGrpcServer::Method(grpc::CallbackServerContext* context,  \
                                                  const v1::Method##Request* request,    \
                                                  v1::Method##Response* response) {      \
    return rpc::ServeUnary(                                                              \
        "org." #Method, context, request, response,                                      \
        [this](const v1::Method##Request& r) { return service_.Method(r); }, executor_); \
  }
MH_ORG_RPCS(MH_ORG_SERVE)
#undef MH_ORG_SERVE

std::unique_ptr<grpc::Service> MakeOrgGrpcService(OrgService& service, rpc::Executor executor) {
  return std::make_unique<OrgGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::org
