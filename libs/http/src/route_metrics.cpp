#include "route_metrics.hpp"

namespace milkyhoop::http {
namespace {
constexpr const char* kRequests = "http_requests_total";
constexpr const char* kRequestsHelp = "HTTP requests by route, method and status.";
constexpr const char* kLatency = "http_request_duration_seconds";
constexpr const char* kLatencyHelp = "HTTP request latency by route and method.";
}  // namespace

RouteMetrics::Series RouteMetrics::Make(const std::string& route, const std::string& method) {
  Series s;
  s.route = route;
  s.method = method;
  if (!registry_) return s;
  for (std::size_t i = 0; i < kCommon.size(); ++i) {
    s.by_status[i] = registry_->GetCounter(
        kRequests, kRequestsHelp,
        {{"route", route}, {"method", method}, {"status", std::to_string(kCommon[i])}});
  }
  s.latency = registry_->GetHistogram(
      kLatency, kLatencyHelp, {{"route", route}, {"method", method}}, metrics::LatencyBuckets());
  return s;
}

RouteMetrics::RouteMetrics(const Router& router, metrics::Registry* registry)
    : registry_(registry) {
  for (const auto& r : router.routes()) routes_.push_back(Make(r->path, r->method));
  unmatched_ = Make("unmatched", "any");
}

void RouteMetrics::Record(const Route* route, int status, double seconds) {
  if (!registry_) return;
  Series& s = route && route->index < routes_.size() ? routes_[route->index] : unmatched_;
  s.latency->Observe(seconds);
  for (std::size_t i = 0; i < kCommon.size(); ++i) {
    if (kCommon[i] == status) {
      s.by_status[i]->Inc();
      return;
    }
  }
  registry_
      ->GetCounter(kRequests, kRequestsHelp,
                   {{"route", s.route}, {"method", s.method}, {"status", std::to_string(status)}})
      ->Inc();
}

}  // namespace milkyhoop::http
