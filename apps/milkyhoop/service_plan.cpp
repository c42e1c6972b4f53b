#include "service_plan.hpp"

#include <algorithm>

namespace milkyhoop::app {
namespace {

constexpr std::string_view kGateway = "gateway";

// Services whose outboxes publish events or that consume them; events flow among these only.
constexpr std::array<std::string_view, 6> kEventServices = {"auth",     "org", "audit",
                                                            "business", "rag", "chatbot"};

int IndexOf(std::string_view name) {
  auto it = std::find(kServiceNames.begin(), kServiceNames.end(), name);
  return it == kServiceNames.end() ? -1 : static_cast<int>(it - kServiceNames.begin());
}

}  // namespace

std::vector<std::string_view> Callees(std::string_view service) {
  if (service == kGateway)
    return {"auth", "org", "audit", "business", "rag", "chatbot", "assistant"};
  if (service == "auth" || service == "business") return {"security"};
  if (service == "chatbot") return {"security", "business", "rag"};
  if (service == "assistant") return {"org", "business", "rag"};
  return {};
}

std::string_view StatusName(std::string_view service) {
  return service == "org" ? std::string_view("organization") : service;
}

Result<ServicePlan> ServicePlan::From(const std::vector<std::string>& services) {
  ServicePlan plan;
  if (services.empty()) return InvalidField("server.services", "must name at least one service");
  for (const std::string& name : services) {
    if (name == "all") {
      if (services.size() != 1) {
        return InvalidField("server.services", "'all' cannot be combined with other services");
      }
      plan.all_in_one_ = true;
      plan.gateway_ = true;
      plan.hosted_.fill(true);
      return plan;
    }
    if (name == kGateway) {
      plan.gateway_ = true;
      continue;
    }
    const int i = IndexOf(name);
    if (i < 0) {
      std::string known = "all, gateway";
      for (std::string_view s : kServiceNames) known += ", " + std::string(s);
      return InvalidField("server.services",
                          "unknown service '" + name + "' (known: " + known + ")");
    }
    plan.hosted_[static_cast<std::size_t>(i)] = true;
  }
  // Hosting every service and the gateway is the all-in-one shape, however it was spelled.
  plan.all_in_one_ = plan.gateway_ && std::all_of(plan.hosted_.begin(), plan.hosted_.end(),
                                                  [](bool h) { return h; });
  return plan;
}

bool ServicePlan::hosts(std::string_view name) const {
  if (name == kGateway) return gateway_;
  const int i = IndexOf(name);
  return i >= 0 && hosted_[static_cast<std::size_t>(i)];
}

std::string_view ServicePlan::first_caller(std::string_view name) const {
  if (gateway_) {
    auto callees = Callees(kGateway);
    if (std::find(callees.begin(), callees.end(), name) != callees.end()) return kGateway;
  }
  for (std::string_view caller : hosted_services()) {
    auto callees = Callees(caller);
    if (std::find(callees.begin(), callees.end(), name) != callees.end()) return caller;
  }
  return {};
}

bool ServicePlan::remote(std::string_view name) const {
  return !hosts(name) && !first_caller(name).empty();
}

bool ServicePlan::serves_grpc() const { return !all_in_one_ && !hosted_services().empty(); }

bool ServicePlan::splits_events() const {
  const auto hosted = [this](std::string_view s) { return hosts(s); };
  return std::any_of(kEventServices.begin(), kEventServices.end(), hosted) &&
         !std::all_of(kEventServices.begin(), kEventServices.end(), hosted);
}

std::vector<std::string_view> ServicePlan::hosted_services() const {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < kServiceNames.size(); ++i) {
    if (hosted_[i]) out.push_back(kServiceNames[i]);
  }
  return out;
}

}  // namespace milkyhoop::app
