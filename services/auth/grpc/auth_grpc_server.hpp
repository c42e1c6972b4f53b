#pragma once
// Server adapter: the generated callback service, forwarding each call to an AuthService.

#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/auth/v1/auth.grpc.pb.h"
#include "milkyhoop/rpc/executor.hpp"

namespace milkyhoop::auth {

class AuthGrpcServer final : public v1::AuthService::CallbackService {
 public:
  AuthGrpcServer(AuthService& service, rpc::Executor executor)
      : service_(service), executor_(std::move(executor)) {}

  grpc::ServerUnaryReactor* Register(grpc::CallbackServerContext* context,
                                     const v1::RegisterRequest* request,
                                     v1::AuthResponse* response) override;
  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* context,
                                  const v1::LoginRequest* request,
                                  v1::AuthResponse* response) override;
  grpc::ServerUnaryReactor* Refresh(grpc::CallbackServerContext* context,
                                    const v1::RefreshRequest* request,
                                    v1::AuthResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* context,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* GetUser(grpc::CallbackServerContext* context,
                                    const v1::GetUserRequest* request,
                                    v1::UserResponse* response) override;
  grpc::ServerUnaryReactor* FindUserByEmail(grpc::CallbackServerContext* context,
                                            const v1::FindUserByEmailRequest* request,
                                            v1::UserResponse* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeSession(grpc::CallbackServerContext* context,
                                          const v1::RevokeSessionRequest* request,
                                          v1::RevokeSessionResponse* response) override;
  grpc::ServerUnaryReactor* TotpSetup(grpc::CallbackServerContext* context,
                                      const v1::TotpSetupRequest* request,
                                      v1::TotpSetupResponse* response) override;
  grpc::ServerUnaryReactor* TotpEnable(grpc::CallbackServerContext* context,
                                       const v1::TotpCodeRequest* request,
                                       v1::TotpStateResponse* response) override;
  grpc::ServerUnaryReactor* TotpDisable(grpc::CallbackServerContext* context,
                                        const v1::TotpCodeRequest* request,
                                        v1::TotpStateResponse* response) override;
  grpc::ServerUnaryReactor* GetJwks(grpc::CallbackServerContext* context,
                                    const v1::GetJwksRequest* request,
                                    v1::GetJwksResponse* response) override;
  grpc::ServerUnaryReactor* RotateSigningKey(grpc::CallbackServerContext* context,
                                             const v1::RotateSigningKeyRequest* request,
                                             v1::RotateSigningKeyResponse* response) override;
  grpc::ServerUnaryReactor* OidcStart(grpc::CallbackServerContext* context,
                                      const v1::OidcStartRequest* request,
                                      v1::OidcStartResponse* response) override;
  grpc::ServerUnaryReactor* OidcCallback(grpc::CallbackServerContext* context,
                                         const v1::OidcCallbackRequest* request,
                                         v1::AuthResponse* response) override;

 private:
  AuthService& service_;
  const rpc::Executor executor_;
};

}  // namespace milkyhoop::auth
