#include "security_grpc_client.hpp"

#include <utility>

#include "milkyhoop/rpc/unary.hpp"
#include "milkyhoop/security/security_grpc.hpp"
#include "request_validation.hpp"

namespace milkyhoop::security {

// Each call first refuses strings the wire cannot carry (see request_validation.hpp), so a
// caller gets the same kInvalidArgument in both shapes.

SecurityGrpcClient::SecurityGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                       std::chrono::milliseconds deadline)
    : stub_(v1::SecurityService::NewStub(std::move(channel))), deadline_(deadline) {}

Result<v1::EncryptResponse> SecurityGrpcClient::Encrypt(const v1::EncryptRequest& request) {
  MH_TRY(CheckUtf8Fields(request));
  return rpc::CallUnary<v1::EncryptResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::EncryptResponse* response) {
        return stub_->Encrypt(context, request, response);
      });
}

Result<v1::DecryptResponse> SecurityGrpcClient::Decrypt(const v1::DecryptRequest& request) {
  MH_TRY(CheckUtf8Fields(request));
  return rpc::CallUnary<v1::DecryptResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::DecryptResponse* response) {
        return stub_->Decrypt(context, request, response);
      });
}

Result<v1::RewrapResponse> SecurityGrpcClient::Rewrap(const v1::RewrapRequest& request) {
  MH_TRY(CheckUtf8Fields(request));
  return rpc::CallUnary<v1::RewrapResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::RewrapResponse* response) {
        return stub_->Rewrap(context, request, response);
      });
}

Result<v1::BlindIndexResponse> SecurityGrpcClient::BlindIndex(
    const v1::BlindIndexRequest& request) {
  MH_TRY(CheckUtf8Fields(request));
  return rpc::CallUnary<v1::BlindIndexResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::BlindIndexResponse* response) {
        return stub_->BlindIndex(context, request, response);
      });
}

std::unique_ptr<SecurityService> MakeSecurityGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                        std::chrono::milliseconds deadline) {
  return std::make_unique<SecurityGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::security
