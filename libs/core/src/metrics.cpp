#include "milkyhoop/core/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace milkyhoop::metrics {
namespace {

enum Kind { kCounter = 0, kGauge = 1, kHistogram = 2, kCallback = 3 };

void AppendEscapedLabel(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void AppendLabels(std::string& out, const Labels& labels, std::string_view extra_key = {},
                  std::string_view extra_value = {}) {
  if (labels.empty() && extra_key.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    AppendEscapedLabel(out, v);
    out += '"';
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += extra_key;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

}  // namespace

struct Registry::Family {
  std::string name;
  std::string help;
  int kind = kCounter;
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> callback;
  };
  std::vector<std::unique_ptr<Series>> series;

  Series* Find(const Labels& labels) {
    for (auto& s : series) {
      if (s->labels == labels) return s.get();
    }
    return nullptr;
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  std::size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (v > 0) {
    sum_micro_.fetch_add(static_cast<std::uint64_t>(v * 1e6), std::memory_order_relaxed);
  }
}

std::vector<std::uint64_t> Histogram::Buckets() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

double Histogram::Sum() const {
  return static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6;
}

std::vector<double> LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};
}

Registry::Family& Registry::FamilyFor(std::string_view name, std::string_view help, int kind) {
  for (auto& f : families_) {
    if (f->name == name) return *f;
  }
  auto f = std::make_unique<Family>();
  f->name = std::string(name);
  f->help = std::string(help);
  f->kind = kind;
  families_.push_back(std::move(f));
  return *families_.back();
}

Counter* Registry::GetCounter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, help, kCounter);
  if (auto* s = f.Find(labels)) return s->counter.get();
  auto s = std::make_unique<Family::Series>();
  s->labels = std::move(labels);
  s->counter = std::make_unique<Counter>();
  f.series.push_back(std::move(s));
  return f.series.back()->counter.get();
}

Gauge* Registry::GetGauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, help, kGauge);
  if (auto* s = f.Find(labels)) return s->gauge.get();
  auto s = std::make_unique<Family::Series>();
  s->labels = std::move(labels);
  s->gauge = std::make_unique<Gauge>();
  f.series.push_back(std::move(s));
  return f.series.back()->gauge.get();
}

Histogram* Registry::GetHistogram(std::string_view name, std::string_view help, Labels labels,
                                  std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, help, kHistogram);
  if (auto* s = f.Find(labels)) return s->histogram.get();
  auto s = std::make_unique<Family::Series>();
  s->labels = std::move(labels);
  s->histogram = std::make_unique<Histogram>(std::move(bounds));
  f.series.push_back(std::move(s));
  return f.series.back()->histogram.get();
}

void Registry::AddCallbackGauge(std::string_view name, std::string_view help,
                                std::function<double()> read) {
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, help, kCallback);
  auto s = std::make_unique<Family::Series>();
  s->callback = std::move(read);
  f.series.push_back(std::move(s));
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(4096);
  for (const auto& f : families_) {
    out += "# HELP " + f->name + " " + f->help + "\n";
    const char* type = f->kind == kCounter     ? "counter"
                       : f->kind == kHistogram ? "histogram"
                                               : "gauge";
    out += "# TYPE " + f->name + " " + type + "\n";
    for (const auto& s : f->series) {
      // Series created up front but never touched would only be noise in every scrape.
      if (f->kind == kCounter && s->counter->Value() == 0) continue;
      if (f->kind == kHistogram && s->histogram->Count() == 0) continue;
      if (f->kind == kHistogram) {
        auto buckets = s->histogram->Buckets();
        const auto& bounds = s->histogram->bounds();
        for (std::size_t i = 0; i <= bounds.size(); ++i) {
          out += f->name + "_bucket";
          AppendLabels(out, s->labels, "le",
                       i < bounds.size() ? FormatDouble(bounds[i]) : std::string("+Inf"));
          out += " " + std::to_string(buckets[i]) + "\n";
        }
        out += f->name + "_sum";
        AppendLabels(out, s->labels);
        out += " " + FormatDouble(s->histogram->Sum()) + "\n";
        out += f->name + "_count";
        AppendLabels(out, s->labels);
        out += " " + std::to_string(s->histogram->Count()) + "\n";
        continue;
      }
      out += f->name;
      AppendLabels(out, s->labels);
      out += ' ';
      if (f->kind == kCounter) out += std::to_string(s->counter->Value());
      else if (f->kind == kGauge) out += std::to_string(s->gauge->Value());
      else out += FormatDouble(s->callback());
      out += '\n';
    }
  }
  return out;
}

}  // namespace milkyhoop::metrics
