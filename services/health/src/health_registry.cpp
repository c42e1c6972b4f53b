#include "health_registry.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace milkyhoop::health {
namespace {

v1::ServiceState RunProbe(const HealthProbe& probe) {
  v1::ServiceState state;
  state.set_name(probe.name);
  Status result;
  try {
    result = probe.check ? probe.check() : Unavailable("no probe");
  } catch (const std::exception& e) {
    result = Unavailable(std::string("probe threw: ") + e.what());
  } catch (...) {
    result = Unavailable("probe threw");
  }
  if (result.ok()) {
    state.set_state(kStateUp);
  } else if (result.code() == StatusCode::kUnavailable) {
    state.set_state(kStateDown);
  } else {
    state.set_state(kStateDegraded);
  }
  state.set_detail(result.message());
  return state;
}

}  // namespace

HealthRegistry::HealthRegistry(std::string version)
    : version_(std::move(version)), probes_(std::make_shared<const ProbeList>()) {}

void HealthRegistry::AddProbe(std::string name, std::function<Status()> probe) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<ProbeList>(*probes_);
  auto same_name = std::find_if(next->begin(), next->end(),
                                [&](const HealthProbe& p) { return p.name == name; });
  if (same_name != next->end()) {
    same_name->check = std::move(probe);
  } else {
    next->push_back({std::move(name), std::move(probe)});
  }
  probes_ = std::move(next);
}

Result<v1::GetStatesResponse> HealthRegistry::GetStates(const v1::GetStatesRequest&) {
  std::shared_ptr<const ProbeList> probes;
  {
    std::lock_guard lock(mu_);
    probes = probes_;
  }
  v1::GetStatesResponse response;
  response.set_version(version_);
  response.mutable_services()->Reserve(static_cast<int>(probes->size()));
  for (const HealthProbe& probe : *probes) *response.add_services() = RunProbe(probe);
  return response;
}

std::unique_ptr<HealthService> MakeHealthRegistry(std::string version,
                                                  std::vector<HealthProbe> probes) {
  auto registry = std::make_unique<HealthRegistry>(std::move(version));
  for (HealthProbe& probe : probes)
    registry->AddProbe(std::move(probe.name), std::move(probe.check));
  return registry;
}

}  // namespace milkyhoop::health
