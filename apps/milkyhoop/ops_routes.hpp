#pragma once
// The operations endpoints of API.md: /status, /healthz, /readyz, /metrics, /openapi.json and
// /docs (Swagger UI served from files installed beside the binary, fully offline).
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/http/router.hpp"

namespace milkyhoop::app {

inline constexpr char kStatusMessage[] = "MilkyHoop API Gateway is running!";

class OpsRoutes {
 public:
  OpsRoutes(health::HealthService& health, metrics::Registry& metrics, std::string version,
            std::string docs_dir);
  // Adds the routes. The OpenAPI document is built from `router` on first request, when every
  // route is registered.
  Status Register(http::Router& router);
  // Readiness turns false when shutdown begins, so load balancers stop sending traffic.
  void SetDraining() { draining_.store(true); }

 private:
  http::Response StatusPage(http::Request&);
  http::Response Ready(http::Request&);
  http::Response OpenApi(http::Request&);
  http::Response DocsPage(http::Request&);
  http::Response DocsAsset(http::Request&);
  void LoadDocs();

  health::HealthService& health_;
  metrics::Registry& metrics_;
  std::string version_;
  std::string docs_dir_;
  const http::Router* router_ = nullptr;
  std::atomic<bool> draining_{false};
  std::once_flag openapi_once_;
  std::string openapi_;
  std::map<std::string, std::pair<std::string, std::string>> docs_files_;  // name → (type, body)
};

// process_* gauges (resident memory, open fds, CPU seconds, start time) for /metrics.
void RegisterProcessMetrics(metrics::Registry& registry);

}  // namespace milkyhoop::app
