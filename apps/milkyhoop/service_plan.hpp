#pragma once
// Which services this process hosts (server.services) and which it reaches over gRPC: every
// service a hosted one calls and does not host itself. Decided once from the configuration;
// the composition root builds from it and Finish() refuses a plan that cannot work.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::app {

// The services of a process besides the gateway, in the order they are built (each calls only
// services before it).
inline constexpr std::array<std::string_view, 8> kServiceNames = {
    "security", "auth", "org", "audit", "business", "rag", "chatbot", "assistant"};

class ServicePlan {
 public:
  // `services` is server.services: "all", or names of kServiceNames and "gateway". The error
  // names server.services.
  static Result<ServicePlan> From(const std::vector<std::string>& services);

  // Every service in this process (the all-in-one shape).
  bool all_in_one() const { return all_in_one_; }
  // `name` ("gateway" or one of kServiceNames) runs in this process.
  bool hosts(std::string_view name) const;
  // A hosted service (or the gateway) calls `name`, and this process does not host it.
  bool remote(std::string_view name) const;
  // Why `name` is needed, for error messages: "gateway", "chatbot", ... (the first caller).
  std::string_view first_caller(std::string_view name) const;
  // This process serves gRPC to others: it hosts some service and is not all-in-one.
  bool serves_grpc() const;
  // Hosts some but not all of the services that publish or consume events, so events cross
  // processes and need a shared bus (Kafka).
  bool splits_events() const;
  // The hosted services of kServiceNames, in build order.
  std::vector<std::string_view> hosted_services() const;

 private:
  bool all_in_one_ = false;
  bool gateway_ = false;
  std::array<bool, kServiceNames.size()> hosted_{};
};

// The services each one calls (the gateway calls every service it routes to).
std::vector<std::string_view> Callees(std::string_view service);

// The name of a service in /status and the health registry ("org" reports as "organization").
std::string_view StatusName(std::string_view service);

}  // namespace milkyhoop::app
