#pragma once
// Per-route request counters (by status) and latency histograms, created up front so the hot
// path only touches atomics.
#include <array>
#include <string>
#include <vector>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/http/router.hpp"

namespace milkyhoop::http {

class RouteMetrics {
 public:
  RouteMetrics(const Router& router, metrics::Registry* registry);
  void Record(const Route* route, int status, double seconds);

 private:
  // The statuses we pre-create series for; others are created on first use (rare).
  static constexpr std::array<int, 16> kCommon = {200, 201, 202, 204, 302, 400, 401, 403,
                                                  404, 405, 409, 413, 415, 429, 500, 503};
  struct Series {
    std::string route;
    std::string method;
    std::array<metrics::Counter*, kCommon.size()> by_status{};
    metrics::Histogram* latency = nullptr;
  };
  Series Make(const std::string& route, const std::string& method);

  metrics::Registry* registry_;
  std::vector<Series> routes_;
  Series unmatched_;
};

}  // namespace milkyhoop::http
