// Retrieval benchmark: our BM25 KeywordIndex against SQLite FTS5 bm25() on the same synthetic
// corpus (>= 100,000 chunks from a fixed seed) and the same queries, top-10 each, measured in
// alternation so machine noise hits both alike. Prints p50/p99 latency, their ratio, ingestion
// throughput (MB/s of text) and memory per 100,000 chunks; the same figures as JSON.
//   mh_bench_rag_search [--chunks N] [--queries N] [--seed N] [--top-k N]
//                       [--fts-path PATH|:memory:] [--json FILE]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "fts5_baseline.hpp"
#include "milkyhoop/rag/keyword_index.hpp"
#include "synthetic_corpus.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using milkyhoop::bench::CorpusOptions;
using milkyhoop::bench::Fts5Baseline;
using milkyhoop::bench::SyntheticCorpus;

struct Args {
  CorpusOptions corpus;
  std::size_t queries = 2000;
  std::size_t top_k = 10;
  std::size_t warmup = 100;
  std::string fts_path = ":memory:";
  std::string json_path;
};

[[noreturn]] void Usage(const char* message) {
  std::fprintf(stderr,
               "error: %s\nusage: mh_bench_rag_search [--chunks N] [--queries N] [--seed N] "
               "[--top-k N] [--fts-path PATH|:memory:] [--json FILE]\n",
               message);
  std::exit(2);
}

std::size_t ParseCount(const char* text, std::size_t min, std::size_t max) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v < min || v > max) Usage("bad number");
  return static_cast<std::size_t>(v);
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) Usage("missing value");
    const char* value = argv[++i];
    if (flag == "--chunks") {
      a.corpus.chunks = ParseCount(value, 1, 10'000'000);
    } else if (flag == "--queries") {
      a.queries = ParseCount(value, 1, 1'000'000);
    } else if (flag == "--seed") {
      a.corpus.seed = ParseCount(value, 0, ~0ull);
    } else if (flag == "--top-k") {
      a.top_k = ParseCount(value, 1, 1000);
    } else if (flag == "--fts-path") {
      a.fts_path = value;
    } else if (flag == "--json") {
      a.json_path = value;
    } else {
      Usage("unknown flag");
    }
  }
  return a;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Latencies {
  std::vector<double> micros;
  double Percentile(double p) {
    std::sort(micros.begin(), micros.end());
    if (micros.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(micros.size())));
    return micros[std::clamp<std::size_t>(rank, 1, micros.size()) - 1];
  }
};

}  // namespace

int main(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  SyntheticCorpus corpus(args.corpus);
  std::fprintf(stderr, "generating %zu chunks (seed %llu)...\n", args.corpus.chunks,
               static_cast<unsigned long long>(args.corpus.seed));
  const auto chunks = corpus.Chunks();
  const auto queries = corpus.Queries(args.queries + args.warmup);
  double text_bytes = 0;
  for (const auto& c : chunks) text_bytes += static_cast<double>(c.title.size() + c.body.size());
  const double text_mb = text_bytes / 1e6;

  // --- ingestion -------------------------------------------------------------------------------
  std::fprintf(stderr, "indexing %.1f MB of text...\n", text_mb);
  milkyhoop::rag::KeywordIndex ours;
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    ours.Upsert({"c" + std::to_string(i), chunks[i].title, chunks[i].body, 1.0});
  }
  const double ours_ingest_s = Seconds(Clock::now() - t0);

  Fts5Baseline fts(args.fts_path, 3.0);  // title weight 3, as our BM25F
  t0 = Clock::now();
  fts.Begin();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    fts.Insert(static_cast<std::int64_t>(i), chunks[i].title, chunks[i].body);
  }
  fts.Commit();
  const double fts_ingest_s = Seconds(Clock::now() - t0);

  // --- queries, alternating ------------------------------------------------------------------
  std::fprintf(stderr, "running %zu queries (+%zu warm-up) against both...\n", args.queries,
               args.warmup);
  Latencies ours_lat, fts_lat;
  double overlap_sum = 0;
  std::size_t ours_empty = 0;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const bool measured = q >= args.warmup;
    auto a = Clock::now();
    const auto ours_result = ours.Search(queries[q], args.top_k);
    auto b = Clock::now();
    const auto fts_result = fts.Search(queries[q], args.top_k);
    auto c = Clock::now();
    if (!measured) continue;
    ours_lat.micros.push_back(Seconds(b - a) * 1e6);
    fts_lat.micros.push_back(Seconds(c - b) * 1e6);
    std::unordered_set<std::string> fts_ids;
    for (auto row : fts_result) fts_ids.insert("c" + std::to_string(row));
    std::size_t common = 0;
    for (const auto& h : ours_result.hits) common += fts_ids.count(h.id);
    overlap_sum += fts_result.empty() ? 1.0 : double(common) / double(fts_result.size());
    ours_empty += ours_result.hits.empty();
  }

  const double ours_p50 = ours_lat.Percentile(0.50), ours_p99 = ours_lat.Percentile(0.99);
  const double fts_p50 = fts_lat.Percentile(0.50), fts_p99 = fts_lat.Percentile(0.99);
  const double scale = 100'000.0 / static_cast<double>(chunks.size());
  const double ours_mem_mb = static_cast<double>(ours.MemoryBytes()) * scale / (1024.0 * 1024.0);
  const double fts_db_mb = static_cast<double>(fts.DatabaseBytes()) * scale / (1024.0 * 1024.0);

  std::printf(
      "== rag_search: BM25 top-%zu, %zu chunks (%.1f MB of text), %zu queries of 2-4 words\n",
      args.top_k, chunks.size(), text_mb, args.queries);
  std::printf("%-22s %10s %10s %14s %20s\n", "", "p50 (us)", "p99 (us)", "ingest (MB/s)",
              "size per 100k chunks");
  std::printf("%-22s %10.1f %10.1f %14.2f %16.1f MiB\n", "milkyhoop KeywordIndex", ours_p50,
              ours_p99, text_mb / ours_ingest_s, ours_mem_mb);
  std::printf("%-22s %10.1f %10.1f %14.2f %16.1f MiB (database pages)\n", "SQLite FTS5 bm25()",
              fts_p50, fts_p99, text_mb / fts_ingest_s, fts_db_mb);
  std::printf("speed-up at p50: %.2fx, at p99: %.2fx (goal: >= 3x at p50)\n", fts_p50 / ours_p50,
              fts_p99 / ours_p99);
  std::printf("top-%zu overlap with FTS5: %.1f%%; queries with no hit (ours): %zu\n", args.top_k,
              100.0 * overlap_sum / double(ours_lat.micros.size()), ours_empty);

  nlohmann::json out = {{"benchmark", "rag_search"},
                        {"params",
                         {{"chunks", chunks.size()},
                          {"vocabulary", args.corpus.vocabulary},
                          {"zipf_exponent", args.corpus.zipf_exponent},
                          {"words_per_chunk", {args.corpus.min_words, args.corpus.max_words}},
                          {"queries", args.queries},
                          {"warmup_queries", args.warmup},
                          {"top_k", args.top_k},
                          {"seed", args.corpus.seed},
                          {"text_mb", text_mb},
                          {"fts_path", args.fts_path},
                          {"sqlite_version", sqlite3_libversion()}}},
                        {"milkyhoop",
                         {{"p50_us", ours_p50},
                          {"p99_us", ours_p99},
                          {"ingest_mb_per_s", text_mb / ours_ingest_s},
                          {"ingest_s", ours_ingest_s},
                          {"memory_mib_per_100k_chunks", ours_mem_mb}}},
                        {"fts5",
                         {{"p50_us", fts_p50},
                          {"p99_us", fts_p99},
                          {"ingest_mb_per_s", text_mb / fts_ingest_s},
                          {"ingest_s", fts_ingest_s},
                          {"database_mib_per_100k_chunks", fts_db_mb}}},
                        {"speedup_p50", fts_p50 / ours_p50},
                        {"speedup_p99", fts_p99 / ours_p99},
                        {"top_k_overlap", overlap_sum / double(ours_lat.micros.size())}};
  std::printf("%s\n", out.dump().c_str());
  if (!args.json_path.empty()) {
    std::ofstream(args.json_path) << out.dump(2) << "\n";
  }
  return 0;
}
