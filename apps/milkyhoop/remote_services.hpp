#pragma once
// The gRPC side of the split shape, for the composition root: channels to the processes that
// host the services this one calls (one per address, shared by the services there), and /status
// probes that ask those processes how their services are.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "app_config.hpp"
#include "milkyhoop/health/health_service.hpp"

namespace grpc {
class Channel;
}

namespace milkyhoop::app {

class RemoteServices {
 public:
  explicit RemoteServices(const AppConfig& config) : config_(config) {}

  // The channel to remote.<service>. Connects lazily: a process that is down shows as
  // kUnavailable on the first call. Fails only on unreadable TLS files.
  Result<std::shared_ptr<grpc::Channel>> Channel(std::string_view service);
  std::chrono::milliseconds call_deadline() const {
    return std::chrono::milliseconds(config_.grpc.call_deadline_ms);
  }
  std::chrono::milliseconds chat_deadline() const {
    return std::chrono::milliseconds(config_.grpc.chat_deadline_ms);
  }

  // Up when the process hosting `service` answers and its own health registry reports the
  // service up; the reason otherwise.
  Result<health::HealthProbe> Probe(std::string_view service);

 private:
  const AppConfig& config_;
  std::map<std::string, std::shared_ptr<grpc::Channel>, std::less<>> channels_;  // by address
  std::map<std::string, std::shared_ptr<health::HealthService>, std::less<>> health_;
};

}  // namespace milkyhoop::app
