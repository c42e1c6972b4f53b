#pragma once
// Client adapter: AuthService implemented by calls to a remote AuthService over gRPC.

#include <chrono>
#include <memory>

#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/auth/v1/auth.grpc.pb.h"

namespace milkyhoop::auth {

class AuthGrpcClient final : public AuthService {
 public:
  AuthGrpcClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);

  Result<v1::AuthResponse> Register(const v1::RegisterRequest& request) override;
  Result<v1::AuthResponse> Login(const v1::LoginRequest& request) override;
  Result<v1::AuthResponse> Refresh(const v1::RefreshRequest& request) override;
  Result<v1::LogoutResponse> Logout(const v1::LogoutRequest& request) override;
  Result<v1::UserResponse> GetUser(const v1::GetUserRequest& request) override;
  Result<v1::UserResponse> FindUserByEmail(const v1::FindUserByEmailRequest& request) override;
  Result<v1::ListSessionsResponse> ListSessions(const v1::ListSessionsRequest& request) override;
  Result<v1::RevokeSessionResponse> RevokeSession(const v1::RevokeSessionRequest& request) override;
  Result<v1::TotpSetupResponse> TotpSetup(const v1::TotpSetupRequest& request) override;
  Result<v1::TotpStateResponse> TotpEnable(const v1::TotpCodeRequest& request) override;
  Result<v1::TotpStateResponse> TotpDisable(const v1::TotpCodeRequest& request) override;
  Result<v1::GetJwksResponse> GetJwks(const v1::GetJwksRequest& request) override;
  Result<v1::RotateSigningKeyResponse> RotateSigningKey(
      const v1::RotateSigningKeyRequest& request) override;
  Result<v1::OidcStartResponse> OidcStart(const v1::OidcStartRequest& request) override;
  Result<v1::AuthResponse> OidcCallback(const v1::OidcCallbackRequest& request) override;

 private:
  std::unique_ptr<v1::AuthService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace milkyhoop::auth
