#include "auth_grpc_client.hpp"

#include <algorithm>
#include <utility>

#include "milkyhoop/auth/auth_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::auth {
namespace {
// OidcStart and OidcCallback call the identity provider (discovery, token endpoint, JWKS),
// each call bounded by oidc.http_timeout_ms: the default deadline would cut them short.
constexpr std::chrono::milliseconds kProviderCallDeadline{30'000};
}  // namespace

AuthGrpcClient::AuthGrpcClient(std::shared_ptr<grpc::Channel> channel,
                               std::chrono::milliseconds deadline)
    : stub_(v1::AuthService::NewStub(std::move(channel))), deadline_(deadline) {}

Result<v1::AuthResponse> AuthGrpcClient::Register(const v1::RegisterRequest& request) {
  return rpc::CallUnary<v1::AuthResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::AuthResponse* response) {
        return stub_->Register(context, request, response);
      });
}

Result<v1::AuthResponse> AuthGrpcClient::Login(const v1::LoginRequest& request) {
  return rpc::CallUnary<v1::AuthResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::AuthResponse* response) {
        return stub_->Login(context, request, response);
      });
}

Result<v1::AuthResponse> AuthGrpcClient::Refresh(const v1::RefreshRequest& request) {
  return rpc::CallUnary<v1::AuthResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::AuthResponse* response) {
        return stub_->Refresh(context, request, response);
      });
}

Result<v1::LogoutResponse> AuthGrpcClient::Logout(const v1::LogoutRequest& request) {
  return rpc::CallUnary<v1::LogoutResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::LogoutResponse* response) {
        return stub_->Logout(context, request, response);
      });
}

Result<v1::UserResponse> AuthGrpcClient::GetUser(const v1::GetUserRequest& request) {
  return rpc::CallUnary<v1::UserResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::UserResponse* response) {
        return stub_->GetUser(context, request, response);
      });
}

Result<v1::UserResponse> AuthGrpcClient::FindUserByEmail(
    const v1::FindUserByEmailRequest& request) {
  return rpc::CallUnary<v1::UserResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::UserResponse* response) {
        return stub_->FindUserByEmail(context, request, response);
      });
}

Result<v1::ListSessionsResponse> AuthGrpcClient::ListSessions(
    const v1::ListSessionsRequest& request) {
  return rpc::CallUnary<v1::ListSessionsResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::ListSessionsResponse* response) {
        return stub_->ListSessions(context, request, response);
      });
}

Result<v1::RevokeSessionResponse> AuthGrpcClient::RevokeSession(
    const v1::RevokeSessionRequest& request) {
  return rpc::CallUnary<v1::RevokeSessionResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::RevokeSessionResponse* response) {
        return stub_->RevokeSession(context, request, response);
      });
}

Result<v1::TotpSetupResponse> AuthGrpcClient::TotpSetup(const v1::TotpSetupRequest& request) {
  return rpc::CallUnary<v1::TotpSetupResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::TotpSetupResponse* response) {
        return stub_->TotpSetup(context, request, response);
      });
}

Result<v1::TotpStateResponse> AuthGrpcClient::TotpEnable(const v1::TotpCodeRequest& request) {
  return rpc::CallUnary<v1::TotpStateResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::TotpStateResponse* response) {
        return stub_->TotpEnable(context, request, response);
      });
}

Result<v1::TotpStateResponse> AuthGrpcClient::TotpDisable(const v1::TotpCodeRequest& request) {
  return rpc::CallUnary<v1::TotpStateResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::TotpStateResponse* response) {
        return stub_->TotpDisable(context, request, response);
      });
}

Result<v1::GetJwksResponse> AuthGrpcClient::GetJwks(const v1::GetJwksRequest& request) {
  return rpc::CallUnary<v1::GetJwksResponse>(
      kServiceName, deadline_, [&](grpc::ClientContext* context, v1::GetJwksResponse* response) {
        return stub_->GetJwks(context, request, response);
      });
}

Result<v1::RotateSigningKeyResponse> AuthGrpcClient::RotateSigningKey(
    const v1::RotateSigningKeyRequest& request) {
  return rpc::CallUnary<v1::RotateSigningKeyResponse>(
      kServiceName, deadline_,
      [&](grpc::ClientContext* context, v1::RotateSigningKeyResponse* response) {
        return stub_->RotateSigningKey(context, request, response);
      });
}

Result<v1::OidcStartResponse> AuthGrpcClient::OidcStart(const v1::OidcStartRequest& request) {
  return rpc::CallUnary<v1::OidcStartResponse>(
      kServiceName, std::max(deadline_, kProviderCallDeadline),
      [&](grpc::ClientContext* context, v1::OidcStartResponse* response) {
        return stub_->OidcStart(context, request, response);
      });
}

Result<v1::AuthResponse> AuthGrpcClient::OidcCallback(const v1::OidcCallbackRequest& request) {
  return rpc::CallUnary<v1::AuthResponse>(
      kServiceName, std::max(deadline_, kProviderCallDeadline),
      [&](grpc::ClientContext* context, v1::AuthResponse* response) {
        return stub_->OidcCallback(context, request, response);
      });
}

std::unique_ptr<AuthService> MakeAuthGrpcClient(std::shared_ptr<grpc::Channel> channel,
                                                std::chrono::milliseconds deadline) {
  return std::make_unique<AuthGrpcClient>(std::move(channel), deadline);
}

}  // namespace milkyhoop::auth
