#include "security_grpc_server.hpp"

#include "milkyhoop/rpc/unary.hpp"
#include "milkyhoop/security/security_grpc.hpp"

namespace milkyhoop::security {

grpc::ServerUnaryReactor* SecurityGrpcServer::Encrypt(grpc::CallbackServerContext* context,
                                                      const v1::EncryptRequest* request,
                                                      v1::EncryptResponse* response) {
  return rpc::ServeUnary(
      "security.Encrypt", context, request, response,
      [this](const v1::EncryptRequest& r) { return service_.Encrypt(r); }, executor_);
}

grpc::ServerUnaryReactor* SecurityGrpcServer::Decrypt(grpc::CallbackServerContext* context,
                                                      const v1::DecryptRequest* request,
                                                      v1::DecryptResponse* response) {
  return rpc::ServeUnary(
      "security.Decrypt", context, request, response,
      [this](const v1::DecryptRequest& r) { return service_.Decrypt(r); }, executor_);
}

grpc::ServerUnaryReactor* SecurityGrpcServer::Rewrap(grpc::CallbackServerContext* context,
                                                     const v1::RewrapRequest* request,
                                                     v1::RewrapResponse* response) {
  return rpc::ServeUnary(
      "security.Rewrap", context, request, response,
      [this](const v1::RewrapRequest& r) { return service_.Rewrap(r); }, executor_);
}

grpc::ServerUnaryReactor* SecurityGrpcServer::BlindIndex(grpc::CallbackServerContext* context,
                                                         const v1::BlindIndexRequest* request,
                                                         v1::BlindIndexResponse* response) {
  return rpc::ServeUnary(
      "security.BlindIndex", context, request, response,
      [this](const v1::BlindIndexRequest& r) { return service_.BlindIndex(r); }, executor_);
}

std::unique_ptr<grpc::Service> MakeSecurityGrpcService(SecurityService& service,
                                                       rpc::Executor executor) {
  return std::make_unique<SecurityGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::security
