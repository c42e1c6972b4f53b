// The cost of the split shape's seam: the same service call made in-process (a virtual call on
// the implementation) and through the gRPC adapters over loopback TCP (client adapter → HTTP/2 →
// server adapter → the implementation on a thread pool, as a service process runs it). The
// service is the health registry with one probe that does nothing, so what is measured is the
// hop itself. Each caller thread makes calls back to back; every call's latency is recorded.
// Prints one JSON object per transport: calls/s and p50/p90/p99 latency in microseconds.
//   mh_bench_grpc_hop [--calls N] [--threads T]
#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench_flags.hpp"
#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/rpc/client_options.hpp"
#include "milkyhoop/rpc/server_host.hpp"

namespace mh = milkyhoop;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  int calls = 20'000;  // per thread
  int threads = 1;
};

constexpr char kProgram[] = "mh_bench_grpc_hop";

[[noreturn]] void Die(const std::string& why) { milkyhoop::bench::Die(kProgram, why); }

Args Parse(int argc, char** argv) {
  Args a;
  for (const auto& [flag, value] :
       milkyhoop::bench::ParseFlags(kProgram, argc, argv, {"--calls", "--threads"})) {
    if (flag == "--calls") a.calls = std::atoi(value.c_str());
    if (flag == "--threads") a.threads = std::atoi(value.c_str());
  }
  if (a.calls < 100 || a.threads < 1) Die("--calls must be >= 100 and --threads >= 1");
  return a;
}

double Percentile(std::vector<double>& sorted, double p) {
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
}

// Runs `threads` callers of `service` for `calls` each (after a warm-up of a tenth of that).
void Measure(const char* transport, mh::health::HealthService& service, const Args& args) {
  std::vector<std::vector<double>> per_thread(static_cast<std::size_t>(args.threads));
  auto caller = [&](std::vector<double>& latencies) {
    mh::health::v1::GetStatesRequest req;
    for (int i = 0; i < args.calls / 10; ++i) {
      if (!service.GetStates(req).ok()) Die(std::string(transport) + ": a warm-up call failed");
    }
    latencies.reserve(static_cast<std::size_t>(args.calls));
    for (int i = 0; i < args.calls; ++i) {
      const auto t0 = Clock::now();
      auto r = service.GetStates(req);
      const auto t1 = Clock::now();
      if (!r.ok() || r->services_size() != 1) Die(std::string(transport) + ": a call failed");
      latencies.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  };
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (auto& l : per_thread) threads.emplace_back(caller, std::ref(l));
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : per_thread) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  // Warm-up calls are inside `seconds`; calls/s counts them too.
  const double calls = static_cast<double>(args.threads) * args.calls * 1.1;
  std::printf(
      "{\"transport\": \"%s\", \"threads\": %d, \"calls\": %zu, \"calls_per_s\": %.0f, "
      "\"p50_us\": %.2f, \"p90_us\": %.2f, \"p99_us\": %.2f, \"max_us\": %.1f}\n",
      transport, args.threads, all.size(), calls / seconds, Percentile(all, 0.50),
      Percentile(all, 0.90), Percentile(all, 0.99), all.back());
  std::fflush(stdout);
}

void MeasureOverGrpc(const char* transport, mh::health::HealthService& registry, const Args& args,
                     mh::rpc::Executor executor) {
  auto adapter = mh::health::MakeHealthGrpcService(registry, std::move(executor));
  mh::rpc::ServerHost host({}, {adapter.get()});
  if (auto s = host.Start(); !s.ok()) Die(s.ToString());
  auto channel = mh::rpc::MakeChannel(host.address());
  if (!channel.ok()) Die(channel.status().ToString());
  auto client = mh::health::MakeHealthGrpcClient(*channel, std::chrono::seconds(5));
  Measure(transport, *client, args);
  client.reset();
  host.Shutdown(std::chrono::seconds(1));
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = Parse(argc, argv);
  auto registry =
      mh::health::MakeHealthRegistry("bench", {{"noop", [] { return mh::Status::Ok(); }}});
  Measure("in_process", *registry, args);

  // The service process's shape: calls handed to a pool, as the composition root does for
  // services that block ("grpc"); and run on gRPC's own thread ("grpc_inline"), which only work
  // that never blocks may do: the difference is the cost of the pool's hand-off.
  boost::asio::thread_pool pool(4);
  MeasureOverGrpc("grpc", *registry, args, [&pool](std::function<void()> work) {
    boost::asio::post(pool, std::move(work));
  });
  MeasureOverGrpc("grpc_inline", *registry, args, {});
  pool.join();
  return 0;
}
