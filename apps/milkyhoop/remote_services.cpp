#include "remote_services.hpp"

#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "service_plan.hpp"

namespace milkyhoop::app {

Result<std::shared_ptr<grpc::Channel>> RemoteServices::Channel(std::string_view service) {
  const std::string& address = RemoteAddress(config_, service);
  if (address.empty()) {
    return InvalidField("remote." + std::string(service), "no address for a remote service");
  }
  if (auto it = channels_.find(address); it != channels_.end()) return it->second;
  rpc::ClientOptions options;
  options.call_deadline = call_deadline();
  options.tls_root_cert_file = config_.grpc.tls_ca_file;
  options.tls_server_name_override = config_.grpc.tls_server_name;
  options.max_receive_message_bytes = static_cast<int>(config_.grpc.max_message_bytes);
  MH_ASSIGN_OR_RETURN(auto channel, rpc::MakeChannel(address, options));
  channels_.emplace(address, channel);
  return channel;
}

Result<health::HealthProbe> RemoteServices::Probe(std::string_view service) {
  const std::string& address = RemoteAddress(config_, service);
  auto it = health_.find(address);
  if (it == health_.end()) {
    MH_ASSIGN_OR_RETURN(auto channel, Channel(service));
    // /status must answer quickly even when a remote process hangs.
    it = health_.emplace(address, health::MakeHealthGrpcClient(channel, std::chrono::seconds(1)))
             .first;
  }
  std::string name(StatusName(service));
  return health::HealthProbe{
      name, [remote = it->second, name, address]() -> Status {
        MH_ASSIGN_OR_RETURN(auto states, remote->GetStates({}));
        for (const auto& s : states.services()) {
          if (s.name() != name) continue;
          if (s.state() == "up") return Status::Ok();
          return Unavailable(name + " at " + address + " is " + s.state() + ": " + s.detail());
        }
        return Unavailable("the process at " + address + " does not host " + name);
      }};
}

}  // namespace milkyhoop::app
