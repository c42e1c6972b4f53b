#include "grpc_endpoint.hpp"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "milkyhoop/rpc/server_host.hpp"

namespace milkyhoop::app {

struct GrpcEndpoint::State {
  explicit State(int threads) : pool(static_cast<std::size_t>(threads)) {}
  boost::asio::thread_pool pool;
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::unique_ptr<rpc::ServerHost> host;  // shut down before services and pool go
};

GrpcEndpoint::GrpcEndpoint(int threads) : state_(std::make_unique<State>(threads)) {}

GrpcEndpoint::~GrpcEndpoint() { Shutdown(std::chrono::milliseconds(0)); }

rpc::Executor GrpcEndpoint::executor() {
  return [pool = &state_->pool](std::function<void()> work) {
    boost::asio::post(*pool, std::move(work));
  };
}

Status GrpcEndpoint::Serve(const AppConfig& config,
                           std::vector<std::unique_ptr<grpc::Service>> services) {
  state_->services = std::move(services);
  rpc::ServerOptions options;
  options.address = config.grpc.listen;
  options.tls_cert_file = config.grpc.tls_cert_file;
  options.tls_key_file = config.grpc.tls_key_file;
  options.tls_client_ca_file = config.grpc.tls_client_ca_file;
  options.max_receive_message_bytes = static_cast<int>(config.grpc.max_message_bytes);
  std::vector<grpc::Service*> raw;
  for (auto& s : state_->services) raw.push_back(s.get());
  state_->host = std::make_unique<rpc::ServerHost>(std::move(options), std::move(raw));
  if (Status s = state_->host->Start(); !s.ok()) {
    return Status(s.code(), "grpc.listen " + config.grpc.listen + ": " + s.message());
  }
  return Status::Ok();
}

int GrpcEndpoint::port() const { return state_->host ? state_->host->port() : 0; }

void GrpcEndpoint::Shutdown(std::chrono::milliseconds drain) {
  if (state_->host) state_->host->Shutdown(drain);
  state_->pool.join();
}

}  // namespace milkyhoop::app
