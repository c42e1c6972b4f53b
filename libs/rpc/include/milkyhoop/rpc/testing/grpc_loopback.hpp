#pragma once
// For contract tests: a service implementation served over real gRPC on a loopback port, and
// the client adapter that talks to it, so one suite runs in-process and over the wire.
#include <memory>
#include <stdexcept>

#include "milkyhoop/rpc/server_host.hpp"

namespace milkyhoop::rpc::testing {

template <typename Service>
class GrpcLoopback {
 public:
  // make_server(impl) → the grpc::Service adapter; make_client(channel) → the client adapter.
  template <typename MakeServer, typename MakeClient>
  GrpcLoopback(Service& impl, MakeServer make_server, MakeClient make_client)
      : service_(make_server(impl)), host_(ServerOptions{}, {service_.get()}) {
    const Status started = host_.Start();
    if (!started.ok()) throw std::runtime_error(started.ToString());
    auto channel = MakeChannel(host_.address());
    if (!channel.ok()) throw std::runtime_error(channel.status().ToString());
    client_ = make_client(*channel);
  }
  Service& client() { return *client_; }
  ServerHost& host() { return host_; }

 private:
  std::unique_ptr<grpc::Service> service_;
  ServerHost host_;  // after service_: shut down before it is destroyed
  std::unique_ptr<Service> client_;
};

}  // namespace milkyhoop::rpc::testing
