// How long a business's knowledge index takes to be ready after a start: rebuilt from the
// database (read every row, analyse every passage, insert every vector) vs loaded from its
// snapshot and caught up with the change log. One business of N synthetic chunks (the corpus of
// bench/rag_search) in a SQLite file; "ready" is the first search answered.
//   mh_bench_rag_index_load [--chunks N] [--dims N] [--changes N] [--dir PATH]
// --dims: embedding size stored with each chunk (0: keyword only). --changes: FAQs written by
// "another process" after the snapshot, caught up at load.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "embedding_codec.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "synthetic_corpus.hpp"

namespace {

using namespace milkyhoop;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

constexpr char kOrg[] = "org_bench";
constexpr char kBiz[] = "biz_bench";

double Seconds(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

// The first search of a fresh service: the load of the business's index.
double TimeFirstSearch(sql::Database& db, const Clock& clock, const rag::RagOptions& options,
                       std::unique_ptr<rag::RagServiceHost>& host) {
  host = rag::MakeRagService(db, clock, options);
  rag::v1::SearchRequest req;
  req.set_org_id(kOrg);
  req.set_business_id(kBiz);
  req.set_query("harga layanan");
  req.set_mode("keyword");
  const auto start = Steady::now();
  auto res = host->service().Search(req);
  const double s = Seconds(start);
  if (!res.ok()) Die("search: " + res.status().ToString());
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  bench::CorpusOptions corpus_options;
  std::size_t dims = 0, changes = 100;
  fs::path dir = fs::temp_directory_path() / "mh_bench_rag_index_load";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--chunks") {
      corpus_options.chunks = std::stoul(value);
    } else if (flag == "--dims") {
      dims = std::stoul(value);
    } else if (flag == "--changes") {
      changes = std::stoul(value);
    } else if (flag == "--dir") {
      dir = value;
    } else {
      Die("usage: mh_bench_rag_index_load [--chunks N] [--dims N] [--changes N] [--dir PATH]");
    }
  }
  log::Options log_options;
  log_options.level = log::Level::kWarn;
  log::Init(log_options);
  fs::remove_all(dir);
  fs::create_directories(dir);
  sql::SqliteOptions sqlite;
  sqlite.path = (dir / "rag.db").string();
  auto db = sql::OpenSqlite(sqlite);
  Check(db.status(), "open");
  Check(rag::MigrateRagDatabase(**db), "migrate");
  SystemClock clock;

  std::fprintf(stderr, "writing %zu chunks (%zu dims)...\n", corpus_options.chunks, dims);
  bench::SyntheticCorpus corpus(corpus_options);
  const auto chunks = corpus.Chunks();
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  Check((*db)->Transaction([&](sql::Session& tx) -> Status {
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      std::vector<float> v(dims);
      for (float& x : v) x = normal(rng);
      MH_TRY(tx.Exec("INSERT INTO chunks (id, org_id, business_id, source_type, source_id, "
                     "ordinal, title, body, embedding, embedding_model, updated_at_ms) VALUES "
                     "($1, $2, $3, 'document', $4, $5, $6, $7, $8, $9, 0)",
                     {"chk_" + std::to_string(i), std::string(kOrg), std::string(kBiz),
                      "doc_" + std::to_string(i / 100), static_cast<std::int64_t>(i % 100),
                      chunks[i].title, chunks[i].body, rag::EncodeEmbedding(v),
                      std::string(dims ? "bench" : "")})
                 .status());
    }
    return Status::Ok();
  }),
        "insert");

  rag::RagOptions options;
  options.snapshot_dir = (dir / "snapshots").string();
  options.snapshot_interval_s = 0;
  std::unique_ptr<rag::RagServiceHost> host;
  const double rebuild = TimeFirstSearch(**db, clock, options, host);
  host->Start();
  auto start = Steady::now();
  host->Stop();  // writes the snapshot
  const double write = Seconds(start);
  std::uintmax_t bytes = 0;
  for (const auto& e : fs::directory_iterator(options.snapshot_dir)) bytes += e.file_size();

  const double from_snapshot = TimeFirstSearch(**db, clock, options, host);
  // Changes made while this process was down, by another one: caught up at load.
  std::unique_ptr<rag::RagServiceHost> other = rag::MakeRagService(**db, clock, {});
  for (std::size_t i = 0; i < changes; ++i) {
    rag::v1::CreateFaqRequest req;
    req.set_org_id(kOrg);
    req.set_business_id(kBiz);
    req.set_question("Pertanyaan nomor " + std::to_string(i) + "?");
    req.set_answer("Jawaban " + std::to_string(i) + ".");
    Check(other->service().CreateFaq(req).status(), "faq");
  }
  host.reset();
  const double caught_up = TimeFirstSearch(**db, clock, options, host);

  std::printf("== rag_index_load: one business, %zu chunks, %zu-dim vectors\n", chunks.size(),
              dims);
  std::printf("rebuild from the database:        %8.2f s\n", rebuild);
  std::printf("snapshot written at stop:         %8.2f s  (%.1f MiB)\n", write,
              static_cast<double>(bytes) / (1 << 20));
  std::printf("load from the snapshot:           %8.2f s  (%.1fx faster)\n", from_snapshot,
              rebuild / from_snapshot);
  std::printf("snapshot + %zu changes caught up: %8.2f s\n", changes, caught_up);
  std::fflush(stdout);
  host.reset();
  other.reset();
  db->reset();
  fs::remove_all(dir);
  return 0;
}
