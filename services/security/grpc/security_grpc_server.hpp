#pragma once
// Server adapter: the generated callback service, forwarding to a SecurityService.

#include "milkyhoop/rpc/executor.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/security/v1/security.grpc.pb.h"

namespace milkyhoop::security {

class SecurityGrpcServer final : public v1::SecurityService::CallbackService {
 public:
  SecurityGrpcServer(SecurityService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

  grpc::ServerUnaryReactor* Encrypt(grpc::CallbackServerContext* context,
                                    const v1::EncryptRequest* request,
                                    v1::EncryptResponse* response) override;
  grpc::ServerUnaryReactor* Decrypt(grpc::CallbackServerContext* context,
                                    const v1::DecryptRequest* request,
                                    v1::DecryptResponse* response) override;
  grpc::ServerUnaryReactor* Rewrap(grpc::CallbackServerContext* context,
                                   const v1::RewrapRequest* request,
                                   v1::RewrapResponse* response) override;
  grpc::ServerUnaryReactor* BlindIndex(grpc::CallbackServerContext* context,
                                       const v1::BlindIndexRequest* request,
                                       v1::BlindIndexResponse* response) override;

 private:
  SecurityService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::security
