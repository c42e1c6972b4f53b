#include "milkyhoop/core/metrics.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::metrics {
namespace {

TEST(MetricsTest, RendersPrometheusText) {
  Registry r;
  r.GetCounter("http_requests_total", "Requests.", {{"route", "/a"}, {"status", "200"}})->Inc(3);
  EXPECT_EQ(r.GetCounter("http_requests_total", "Requests.", {{"route", "/a"}, {"status", "200"}})
                ->Value(),
            3u);
  auto* h = r.GetHistogram("lat_seconds", "Latency.", {{"route", "/a"}}, {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(5);
  r.AddCallbackGauge("mem_bytes", "Memory.", [] { return 42.0; });
  std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("http_requests_total{route=\"/a\",status=\"200\"} 3"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"0.1\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{route=\"/a\"} 3"), std::string::npos);
  EXPECT_NE(text.find("mem_bytes 42"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Registry r;
  r.GetGauge("g", "G.", {{"path", "a\"b\\c"}})->Set(1);
  EXPECT_NE(r.Render().find("g{path=\"a\\\"b\\\\c\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::metrics
