#pragma once
// The health service: the state of every service and dependency of this deployment, behind
// GET /status. Callers hold a HealthService&; the composition root decides whether it is the
// in-process registry (MakeHealthRegistry) or a gRPC client (milkyhoop/health/health_grpc.hpp).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/health/v1/health.pb.h"

namespace milkyhoop::health {

// v1:: below is the generated milkyhoop::health::v1 (proto/milkyhoop/health/v1/health.proto).
class HealthService {
 public:
  virtual ~HealthService();
  // One ServiceState per registered probe, in registration order, and the build version.
  virtual Result<v1::GetStatesResponse> GetStates(const v1::GetStatesRequest& request) = 0;
};

// State names as they appear in ServiceState.state and in GET /status.
inline constexpr char kStateUp[] = "up";
inline constexpr char kStateDown[] = "down";
inline constexpr char kStateDegraded[] = "degraded";

// A cheap check of one service or dependency (a ping, not a query). It is called on every
// GetStates, possibly from several threads at once, so it must be thread-safe and bound its own
// time. OK means "up", kUnavailable "down", any other code "degraded"; the message becomes the
// detail. A probe that throws counts as "down".
struct HealthProbe {
  std::string name;
  std::function<Status()> check;
};

// The implementation. `version` is reported as GetStatesResponse.version.
std::unique_ptr<HealthService> MakeHealthRegistry(std::string version,
                                                  std::vector<HealthProbe> probes);

}  // namespace milkyhoop::health
