#include "auth_grpc_server.hpp"

#include "milkyhoop/auth/auth_grpc.hpp"
#include "milkyhoop/rpc/unary.hpp"

namespace milkyhoop::auth {

grpc::ServerUnaryReactor* AuthGrpcServer::Register(grpc::CallbackServerContext* context,
                                                   const v1::RegisterRequest* request,
                                                   v1::AuthResponse* response) {
  return rpc::ServeUnary(
      "auth.Register", context, request, response,
      [this](const v1::RegisterRequest& r) { return service_.Register(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::Login(grpc::CallbackServerContext* context,
                                                const v1::LoginRequest* request,
                                                v1::AuthResponse* response) {
  return rpc::ServeUnary(
      "auth.Login", context, request, response,
      [this](const v1::LoginRequest& r) { return service_.Login(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::Refresh(grpc::CallbackServerContext* context,
                                                  const v1::RefreshRequest* request,
                                                  v1::AuthResponse* response) {
  return rpc::ServeUnary(
      "auth.Refresh", context, request, response,
      [this](const v1::RefreshRequest& r) { return service_.Refresh(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::Logout(grpc::CallbackServerContext* context,
                                                 const v1::LogoutRequest* request,
                                                 v1::LogoutResponse* response) {
  return rpc::ServeUnary(
      "auth.Logout", context, request, response,
      [this](const v1::LogoutRequest& r) { return service_.Logout(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::GetUser(grpc::CallbackServerContext* context,
                                                  const v1::GetUserRequest* request,
                                                  v1::UserResponse* response) {
  return rpc::ServeUnary(
      "auth.GetUser", context, request, response,
      [this](const v1::GetUserRequest& r) { return service_.GetUser(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::FindUserByEmail(grpc::CallbackServerContext* context,
                                                          const v1::FindUserByEmailRequest* request,
                                                          v1::UserResponse* response) {
  return rpc::ServeUnary(
      "auth.FindUserByEmail", context, request, response,
      [this](const v1::FindUserByEmailRequest& r) { return service_.FindUserByEmail(r); },
      executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::ListSessions(grpc::CallbackServerContext* context,
                                                       const v1::ListSessionsRequest* request,
                                                       v1::ListSessionsResponse* response) {
  return rpc::ServeUnary(
      "auth.ListSessions", context, request, response,
      [this](const v1::ListSessionsRequest& r) { return service_.ListSessions(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::RevokeSession(grpc::CallbackServerContext* context,
                                                        const v1::RevokeSessionRequest* request,
                                                        v1::RevokeSessionResponse* response) {
  return rpc::ServeUnary(
      "auth.RevokeSession", context, request, response,
      [this](const v1::RevokeSessionRequest& r) { return service_.RevokeSession(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::TotpSetup(grpc::CallbackServerContext* context,
                                                    const v1::TotpSetupRequest* request,
                                                    v1::TotpSetupResponse* response) {
  return rpc::ServeUnary(
      "auth.TotpSetup", context, request, response,
      [this](const v1::TotpSetupRequest& r) { return service_.TotpSetup(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::TotpEnable(grpc::CallbackServerContext* context,
                                                     const v1::TotpCodeRequest* request,
                                                     v1::TotpStateResponse* response) {
  return rpc::ServeUnary(
      "auth.TotpEnable", context, request, response,
      [this](const v1::TotpCodeRequest& r) { return service_.TotpEnable(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::TotpDisable(grpc::CallbackServerContext* context,
                                                      const v1::TotpCodeRequest* request,
                                                      v1::TotpStateResponse* response) {
  return rpc::ServeUnary(
      "auth.TotpDisable", context, request, response,
      [this](const v1::TotpCodeRequest& r) { return service_.TotpDisable(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::GetJwks(grpc::CallbackServerContext* context,
                                                  const v1::GetJwksRequest* request,
                                                  v1::GetJwksResponse* response) {
  return rpc::ServeUnary(
      "auth.GetJwks", context, request, response,
      [this](const v1::GetJwksRequest& r) { return service_.GetJwks(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::RotateSigningKey(
    grpc::CallbackServerContext* context, const v1::RotateSigningKeyRequest* request,
    v1::RotateSigningKeyResponse* response) {
  return rpc::ServeUnary(
      "auth.RotateSigningKey", context, request, response,
      [this](const v1::RotateSigningKeyRequest& r) { return service_.RotateSigningKey(r); },
      executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::OidcStart(grpc::CallbackServerContext* context,
                                                    const v1::OidcStartRequest* request,
                                                    v1::OidcStartResponse* response) {
  return rpc::ServeUnary(
      "auth.OidcStart", context, request, response,
      [this](const v1::OidcStartRequest& r) { return service_.OidcStart(r); }, executor_);
}

grpc::ServerUnaryReactor* AuthGrpcServer::OidcCallback(grpc::CallbackServerContext* context,
                                                       const v1::OidcCallbackRequest* request,
                                                       v1::AuthResponse* response) {
  return rpc::ServeUnary(
      "auth.OidcCallback", context, request, response,
      [this](const v1::OidcCallbackRequest& r) { return service_.OidcCallback(r); }, executor_);
}

std::unique_ptr<grpc::Service> MakeAuthGrpcService(AuthService& service, rpc::Executor executor) {
  return std::make_unique<AuthGrpcServer>(service, std::move(executor));
}

}  // namespace milkyhoop::auth
