#pragma once
// Hosts the gRPC server of one process: the callback-API services it is given, plus the
// standard grpc.health.v1 health checking service and server reflection (for grpcurl).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace milkyhoop::rpc {

struct ServerOptions {
  // "host:port"; port 0 picks a free port (tests), read it back with ServerHost::port().
  std::string address = "127.0.0.1:0";
  // TLS: both set means TLS, both empty means plaintext. PEM files, never inline secrets.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Set means clients must present a certificate signed by this CA (mutual TLS).
  std::string tls_client_ca_file;
  bool enable_reflection = true;
  int max_receive_message_bytes = 4 * 1024 * 1024;
  // Keepalive pings from clients are accepted this often even with no call in flight. It must
  // stay below ClientOptions::keepalive_time or the server drops the connection with GOAWAY.
  std::chrono::milliseconds min_client_ping_interval{std::chrono::seconds(10)};
};

class ServerHost {
 public:
  // `services` are not owned: they must outlive Shutdown() (or this object).
  ServerHost(ServerOptions options, std::vector<grpc::Service*> services);
  // Shuts down with no grace period if still running.
  ~ServerHost();
  ServerHost(const ServerHost&) = delete;
  ServerHost& operator=(const ServerHost&) = delete;

  // Binds and starts serving. kInvalidArgument for bad options, kFailedPrecondition for
  // unreadable TLS files, kUnavailable when the address cannot be bound (e.g. port in use).
  Status Start();

  // The bound port (the chosen one when the address asked for port 0); 0 before Start().
  int port() const { return port_; }
  // "host:port" with the bound port, ready for MakeChannel().
  std::string address() const;

  // Graceful: reports NOT_SERVING to health checks, stops accepting calls, lets in-flight calls
  // finish for up to `deadline`, then cancels the rest and waits for them. Idempotent.
  void Shutdown(std::chrono::milliseconds deadline);

 private:
  ServerOptions options_;
  std::vector<grpc::Service*> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace milkyhoop::rpc
