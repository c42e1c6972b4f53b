#pragma once
// Client adapter: SecurityService implemented by calls to a remote SecurityService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/security/v1/security.grpc.pb.h"

namespace milkyhoop::security {

class SecurityGrpcClient final : public SecurityService {
 public:
  SecurityGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

  Result<v1::EncryptResponse> Encrypt(const v1::EncryptRequest& request) override;
  Result<v1::DecryptResponse> Decrypt(const v1::DecryptRequest& request) override;
  Result<v1::RewrapResponse> Rewrap(const v1::RewrapRequest& request) override;
  Result<v1::BlindIndexResponse> BlindIndex(const v1::BlindIndexRequest& request) override;

 private:
  std::unique_ptr<v1::SecurityService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::security
