#pragma once
// Client side of the gRPC seam: one channel per remote process, and a deadline on every call.
// gRPC types are only forward-declared so a client adapter's public header stays light.

#include <chrono>
#include <memory>
#include <string>

#include "milkyhoop/core/status.hpp"

namespace grpc {
class Channel;
class ClientContext;
}  // namespace grpc

namespace milkyhoop::rpc {

// A call without a deadline waits forever on a hung peer; every client call sets one.
inline constexpr std::chrono::milliseconds kDefaultCallDeadline{2000};

struct ClientOptions {
  // Deadline of each call; client adapters take it at construction.
  std::chrono::milliseconds call_deadline = kDefaultCallDeadline;
  // HTTP/2 keepalive pings find a dead peer on an idle connection (a dropped NAT entry or a
  // killed pod) before a real call has to. ServerHost accepts pings this often (see
  // ServerOptions::min_client_ping_interval); a stock gRPC server would answer them with GOAWAY.
  std::chrono::milliseconds keepalive_time{std::chrono::seconds(30)};
  std::chrono::milliseconds keepalive_timeout{std::chrono::seconds(10)};
  // gRPC's default backs off up to 120 s between reconnects; a restarted peer should be used
  // again within seconds.
  std::chrono::milliseconds max_reconnect_backoff{std::chrono::seconds(5)};
  int max_receive_message_bytes = 4 * 1024 * 1024;
  // TLS: PEM file of the CA(s) that sign server certificates; empty means plaintext (loopback or
  // a trusted network).
  std::string tls_root_cert_file;
  // Name checked against the server certificate instead of the address host (tests, raw IPs).
  std::string tls_server_name_override;
};

// Creates a channel to "host:port". It connects lazily: a peer that is down shows up as
// kUnavailable on the first call, not here. Fails only on bad TLS files.
Result<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                   const ClientOptions& options = {});

// Sets `context`'s deadline to now + `timeout`. Call it on every ClientContext.
void SetCallDeadline(grpc::ClientContext& context, std::chrono::milliseconds timeout);

}  // namespace milkyhoop::rpc
