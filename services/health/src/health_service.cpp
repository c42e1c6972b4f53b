#include "milkyhoop/health/health_service.hpp"

namespace milkyhoop::health {

// Out of line so the vtable is emitted once, in mh_health.
HealthService::~HealthService() = default;

}  // namespace milkyhoop::health
