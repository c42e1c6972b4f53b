#pragma once
// A small Prometheus metrics registry. Series are created once (under a lock) and updated
// lock-free on the hot path through the pointer they return; Render() writes the text format.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace milkyhoop::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(std::int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  std::int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count per bound, then +Inf; sum; count.
  std::vector<std::uint64_t> Buckets() const;
  double Sum() const;
  std::uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, size bounds+1
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micro_{0};  // sum in millionths, to stay lock-free
};

// Latency buckets in seconds, from 100µs to 10s.
std::vector<double> LatencyBuckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  Counter* GetCounter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge* GetGauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram* GetHistogram(std::string_view name, std::string_view help, Labels labels,
                          std::vector<double> bounds);
  // A gauge computed when scraped (e.g. process memory, outbox backlog).
  void AddCallbackGauge(std::string_view name, std::string_view help,
                        std::function<double()> read);
  std::string Render() const;

 private:
  struct Family;
  Family& FamilyFor(std::string_view name, std::string_view help, int kind);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;
};

}  // namespace milkyhoop::metrics
