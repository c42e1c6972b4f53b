#include "business_grpc_server.hpp"

#include "milkyhoop/business/business_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::business {

#define MH_BUSINESS_SERVE(Method)                                                            \
  grpc::ServerUnaryReactor* BusinessGrpcServer::Method(grpc::CallbackServerContext* context, \
                                                       const v1::Method##Request* request,   \
                                                       v1::Method##Response* response) {     \
    return rpc::ServeUnary(                                                                  \
        "business." #Method, context, request, response,                                     \
        [this](const v1::Method##Request& r) { return service_.Method(r); }, executor_);     \
  }
MH_BUSINESS_RPCS(MH_BUSINESS_SERVE)
#undef MH_BUSINESS_SERVE

std::unique_ptr<grpc::Service> MakeBusinessGrpcService(BusinessService& service,
                                                       rpc::Executor executor) {
  return std::make_unique<BusinessGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::business
