#pragma once
// In-process implementation of HealthService: runs each registered probe on every call.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "milkyhoop/health/health_service.hpp"

namespace milkyhoop::health {

class HealthRegistry final : public HealthService {
 public:
  explicit HealthRegistry(std::string version);

  // Registers (or, for a name already present, replaces) a probe. Thread-safe; may be called
  // while GetStates runs elsewhere.
  void AddProbe(std::string name, std::function<Status()> probe);

  Result<v1::GetStatesResponse> GetStates(const v1::GetStatesRequest& request) override;

 private:
  using ProbeList = std::vector<HealthProbe>;

  const std::string version_;
  std::mutex mu_;
  // Copy-on-write: GetStates takes a snapshot under the lock and runs the probes outside it, so
  // a slow probe neither blocks AddProbe nor serialises concurrent GetStates calls.
  std::shared_ptr<const ProbeList> probes_;  // guarded by mu_
};

}  // namespace milkyhoop::health
