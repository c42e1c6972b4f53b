// Throughput and latency of ParseOwnerUtterance (no LLM, no I/O) on real owner utterances: the
// shared dev set and the assistant's held-out set, parsed over and over on one thread.
//   mh_bench_assistant_intent [--seconds S] [--threads N] [set.json ...]
// Prints utterances/s and p50/p99/max per utterance, then one JSON line for bench/results.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "milkyhoop/assistant/intent.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace assistant = milkyhoop::assistant;

std::vector<std::string> LoadUtterances(const std::vector<std::string>& paths) {
  std::vector<std::string> texts;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "skipping missing set " << path << "\n";
      continue;
    }
    const nlohmann::json set = nlohmann::json::parse(in);
    for (const auto& u : set.at("utterances")) texts.push_back(u.at("text").get<std::string>());
    std::cerr << "loaded " << set.at("utterances").size() << " utterances from " << path << "\n";
  }
  return texts;
}

// Parses every utterance in turn until `seconds` pass; returns how many were parsed. The sink
// keeps the optimiser from dropping the work.
std::uint64_t ParseFor(const std::vector<std::string>& texts, double seconds, std::size_t& sink) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t parsed = 0;
  while (Clock::now() < deadline) {
    for (const std::string& text : texts)
      sink += assistant::ParseOwnerUtterance(text).problems.size();
    parsed += texts.size();
  }
  return parsed;
}

double Percentile(std::vector<double>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted_ns.size() - 1));
  return sorted_ns[index];
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int threads = 1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::clamp(std::atof(argv[++i]), 0.1, 600.0);
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = std::clamp(std::atoi(argv[++i]), 1, 64);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) paths = {MH_OWNER_INTENTS_DEV, MH_OWNER_INTENTS_HELDOUT};
  const std::vector<std::string> texts = LoadUtterances(paths);
  if (texts.empty()) {
    std::cerr << "no utterances to parse\n";
    return 1;
  }

  std::size_t sink = 0;
  ParseFor(texts, 0.5, sink);  // warm-up: lexicon built, caches and branch predictors warm

  // Latency: every call timed on its own, one thread.
  std::vector<double> latencies_ns;
  const std::size_t rounds = std::max<std::size_t>(1, 200'000 / texts.size());
  latencies_ns.reserve(rounds * texts.size());
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& text : texts) {
      const auto start = Clock::now();
      sink += assistant::ParseOwnerUtterance(text).problems.size();
      latencies_ns.push_back(
          std::chrono::duration<double, std::nano>(Clock::now() - start).count());
    }
  }
  std::sort(latencies_ns.begin(), latencies_ns.end());

  // Throughput: back-to-back parsing for `seconds`, on `threads` threads.
  std::atomic<std::uint64_t> total{0};
  std::atomic<std::size_t> shared_sink{0};
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::size_t local_sink = 0;
      total += ParseFor(texts, seconds, local_sink);
      shared_sink += local_sink;
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double per_second = static_cast<double>(total.load()) / elapsed;

  const double p50 = Percentile(latencies_ns, 0.50) / 1000.0;
  const double p99 = Percentile(latencies_ns, 0.99) / 1000.0;
  const double max = latencies_ns.back() / 1000.0;
  std::cout << "utterances: " << texts.size() << " distinct, " << total.load() << " parsed in "
            << elapsed << " s on " << threads << " thread(s)\n"
            << "throughput: " << static_cast<std::uint64_t>(per_second) << " utterances/s\n"
            << "latency per utterance (" << latencies_ns.size() << " timed): p50 " << p50
            << " us, p99 " << p99 << " us, max " << max << " us\n";
  nlohmann::json result = {{"benchmark", "assistant_intent"},
                           {"distinct_utterances", texts.size()},
                           {"threads", threads},
                           {"seconds", elapsed},
                           {"utterances_per_second", per_second},
                           {"p50_us", p50},
                           {"p99_us", p99},
                           {"max_us", max},
                           {"sink", (sink + shared_sink.load()) % 2}};
  std::cout << result.dump() << "\n";
  return 0;
}
