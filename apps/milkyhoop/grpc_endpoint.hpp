#pragma once
// The gRPC server of a process that hosts services for others (the split shape): the adapters
// of its hosted services plus gRPC health and reflection, with a thread pool of its own for the
// calls that block (SQL, outbound HTTP), so gRPC's threads keep accepting.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app_config.hpp"
#include "milkyhoop/rpc/executor.hpp"

namespace grpc {
class Service;
}

namespace milkyhoop::app {

class GrpcEndpoint {
 public:
  explicit GrpcEndpoint(int threads);
  // Shuts down without a grace period if still serving.
  ~GrpcEndpoint();
  GrpcEndpoint(const GrpcEndpoint&) = delete;
  GrpcEndpoint& operator=(const GrpcEndpoint&) = delete;

  // Runs work on the endpoint's pool; give it to the server adapters.
  rpc::Executor executor();
  // Serves `services` on grpc.listen (TLS per grpc.tls_*). kUnavailable when the address is taken.
  Status Serve(const AppConfig& config, std::vector<std::unique_ptr<grpc::Service>> services);
  // The bound port (grpc.listen may ask for port 0).
  int port() const;
  // Stops accepting, lets calls in flight finish for up to `drain`, then joins the pool.
  void Shutdown(std::chrono::milliseconds drain);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace milkyhoop::app
