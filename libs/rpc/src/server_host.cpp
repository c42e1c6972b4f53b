#include "milkyhoop/rpc/server_host.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "file.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::rpc {
namespace {

// Adds server reflection to this one builder. grpc::reflection::
// InitProtoReflectionServerBuilderPlugin() would register it process-wide instead.
class ReflectionOption final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    auto plugin = std::make_unique<grpc::reflection::ProtoServerReflectionPlugin>();
    // Someone may have registered the plugin globally; a second copy would fail the build.
    const bool present = std::any_of(plugins->begin(), plugins->end(),
                                     [&](const auto& p) { return p->name() == plugin->name(); });
    if (!present) plugins->push_back(std::move(plugin));
  }
};

Result<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(const ServerOptions& options) {
  const bool has_cert = !options.tls_cert_file.empty();
  const bool has_key = !options.tls_key_file.empty();
  if (has_cert != has_key) {
    return InvalidArgument("TLS needs both tls_cert_file and tls_key_file");
  }
  if (!has_cert) {
    if (!options.tls_client_ca_file.empty()) {
      return InvalidArgument("tls_client_ca_file needs tls_cert_file and tls_key_file");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  MH_ASSIGN_OR_RETURN(pair.cert_chain, ReadTextFile(options.tls_cert_file));
  MH_ASSIGN_OR_RETURN(pair.private_key, ReadTextFile(options.tls_key_file));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    MH_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadTextFile(options.tls_client_ca_file));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// "host:port" -> host (brackets of an IPv6 literal kept).
std::string HostOf(const std::string& address) {
  const auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

ServerHost::ServerHost(ServerOptions options, std::vector<grpc::Service*> services)
    : options_(std::move(options)), services_(std::move(services)) {}

ServerHost::~ServerHost() { Shutdown(std::chrono::milliseconds(0)); }

Status ServerHost::Start() {
  if (server_) return FailedPrecondition("gRPC server already started");
  if (options_.address.find(':') == std::string::npos) {
    return InvalidArgument("gRPC listen address must be host:port, got '" + options_.address + "'");
  }
  if (std::find(services_.begin(), services_.end(), nullptr) != services_.end()) {
    return InvalidArgument("null gRPC service");
  }
  MH_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                      MakeCredentials(options_));

  // gRPC reads this process-wide flag (a plain bool) when a server is built. Every server we
  // build wants the standard health service (load balancers and the split-shape probes use it);
  // call_once sets it exactly once, so hosts started from different threads do not race on it.
  static std::once_flag enable_health_checking;
  std::call_once(enable_health_checking, [] { grpc::EnableDefaultHealthCheckService(true); });

  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(options_.address, credentials, &bound_port);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  // gRPC turns SO_REUSEPORT on by default on Linux: a second process on the same port would
  // start "successfully" and take half the connections. We want that to fail Start() instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Accept our clients' keepalive pings (ClientOptions) even between calls; by default gRPC
  // allows one per 5 minutes and answers more with GOAWAY "too_many_pings".
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             static_cast<int>(options_.min_client_ping_interval.count()));
  if (options_.enable_reflection) builder.SetOption(std::make_unique<ReflectionOption>());
  for (grpc::Service* service : services_) builder.RegisterService(service);

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    if (server) server->Shutdown(std::chrono::system_clock::now());
    return Unavailable("cannot serve gRPC on " + options_.address +
                       " (address in use or not local?)");
  }
  server_ = std::move(server);
  port_ = bound_port;
  MH_LOG_INFO("grpc server started", {"address", address()},
              {"tls", !options_.tls_cert_file.empty()},
              {"services", static_cast<std::int64_t>(services_.size())});
  return Status::Ok();
}

std::string ServerHost::address() const {
  return HostOf(options_.address) + ":" + std::to_string(port_);
}

void ServerHost::Shutdown(std::chrono::milliseconds deadline) {
  if (!server_) return;
  // Health watchers (load balancers, peers' probes) see NOT_SERVING before the listener closes.
  if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
    health->Shutdown();
  }
  server_->Shutdown(std::chrono::system_clock::now() + deadline);
  server_->Wait();
  server_.reset();
  MH_LOG_INFO("grpc server stopped", {"address", address()});
}

}  // namespace milkyhoop::rpc
