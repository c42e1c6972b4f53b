// Profit and loss over a year of transactions (bench/business/run.sh): loads TXNS transactions
// spread over one calendar year into a business through BusinessService::PostTransaction (so
// the daily aggregates the report reads are maintained exactly as in production), then times
//   report  BusinessService::ProfitLoss for the year (reads the daily aggregates)
//   plain   one SQL aggregate over the raw transactions table with the same filters
// and checks that both give the same figures (exit status 3 when they do not).
//
//   mh_bench_business_pnl --backend sqlite|postgres [--txns N] [--threads N] [--seed N]
//       [--report-reps N] [--plain-reps N] [--year YYYY] [--json FILE]
//       [--sqlite-path FILE] [--pg-schema NAME] [--keep] [--max-load-seconds S]
// PostgreSQL: DSN from MILKYHOOP_TEST_PG_DSN; the schema (default bench_business_<random>) is
// created and dropped at the end unless --keep. SQLite: a file in a temporary directory, removed
// at the end unless --sqlite-path is given. With --keep and a database that already holds the
// benchmark's business with at least N transactions, loading is skipped (re-time a big load).
// --max-load-seconds caps the load (0: no cap): when it runs out, loading stops where it is and
// the report is timed over what was loaded; the output says so ("capped").
// The last line of stdout is the result as one JSON object.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace {

namespace v1 = milkyhoop::business::v1;
using milkyhoop::Status;
using milkyhoop::StatusCode;
using Clock = std::chrono::steady_clock;

constexpr char kOrgId[] = "org_benchpnl";
constexpr char kActor[] = "usr_benchpnl";
constexpr char kBusinessName[] = "Bench Profit Loss";
constexpr int kProducts = 50;
constexpr std::int64_t kOpeningStock = 1'000'000'000;
constexpr int kJakartaOffsetMinutes = 7 * 60;

struct Options {
  std::string backend = "sqlite";
  std::int64_t txns = 1'000'000;
  int threads = 4;
  std::uint64_t seed = 20250101;
  int report_reps = 2000;
  int plain_reps = 20;
  int year = 2025;
  std::string json_path;
  std::string sqlite_path;
  std::string pg_schema;
  bool keep = false;
  double max_load_seconds = 0;
};

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "mh_bench_business_pnl: " << message << "\n";
  std::exit(2);
}

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

template <typename T>
T Take(milkyhoop::Result<T> r, const std::string& what) {
  Check(r.status(), what);
  return std::move(r).value();
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--backend") {
      o.backend = next();
    } else if (a == "--txns") {
      o.txns = std::stoll(next());
    } else if (a == "--threads") {
      o.threads = std::stoi(next());
    } else if (a == "--seed") {
      o.seed = std::stoull(next());
    } else if (a == "--report-reps") {
      o.report_reps = std::stoi(next());
    } else if (a == "--plain-reps") {
      o.plain_reps = std::stoi(next());
    } else if (a == "--year") {
      o.year = std::stoi(next());
    } else if (a == "--json") {
      o.json_path = next();
    } else if (a == "--sqlite-path") {
      o.sqlite_path = next();
    } else if (a == "--pg-schema") {
      o.pg_schema = next();
    } else if (a == "--max-load-seconds") {
      o.max_load_seconds = std::stod(next());
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      Die("unknown argument " + a + " (see the comment at the top of pnl_bench.cpp)");
    }
  }
  if (o.backend != "sqlite" && o.backend != "postgres") Die("--backend must be sqlite|postgres");
  if (o.txns < 1 || o.threads < 1 || o.report_reps < 1 || o.plain_reps < 1) {
    Die("--txns, --threads, --report-reps and --plain-reps must be positive");
  }
  return o;
}

// Days since 1970-01-01 of a civil date.
std::int64_t DayNumber(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days(year_month_day(year(y), month(m), day(d))).time_since_epoch().count();
}

v1::Money Idr(std::int64_t amount) {
  v1::Money m;
  m.set_amount(amount);
  m.set_currency("IDR");
  return m;
}

struct Stats {
  double p50_ms = 0, p99_ms = 0, min_ms = 0, max_ms = 0, mean_ms = 0;
  int reps = 0;
};

Stats Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  Stats s;
  s.reps = static_cast<int>(ms.size());
  auto pct = [&](double p) {
    const auto idx = static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(idx, ms.size() - 1)];
  };
  s.p50_ms = pct(0.50);
  s.p99_ms = pct(0.99);
  s.min_ms = ms.front();
  s.max_ms = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean_ms = sum / static_cast<double>(ms.size());
  return s;
}

nlohmann::json ToJson(const Stats& s) {
  return {{"reps", s.reps},     {"p50_ms", s.p50_ms}, {"p99_ms", s.p99_ms},
          {"min_ms", s.min_ms}, {"max_ms", s.max_ms}, {"mean_ms", s.mean_ms}};
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Figures {
  std::int64_t revenue = 0, cogs = 0, expenses = 0, tax = 0, purchases = 0;
  bool operator==(const Figures&) const = default;
};

nlohmann::json ToJson(const Figures& f) {
  return {{"revenue", f.revenue},
          {"cost_of_goods_sold", f.cogs},
          {"expenses", f.expenses},
          {"tax_collected", f.tax},
          {"purchases", f.purchases}};
}

struct Catalogue {
  std::string business_id;
  std::vector<std::string> product_ids;
  std::vector<std::int64_t> prices;
  std::vector<std::int64_t> costs;
};

// The benchmark's business, if a kept database already has it.
std::optional<std::string> FindBusiness(milkyhoop::sql::Database& db) {
  auto rows = db.Query(
      "SELECT id FROM businesses WHERE org_id = $1 AND name = $2 AND deleted_at_ms IS NULL "
      "ORDER BY id LIMIT 1",
      {std::string(kOrgId), std::string(kBusinessName)});
  if (!rows.ok() || rows->empty()) return std::nullopt;
  return rows->Text(0, 0);
}

Catalogue LoadCatalogue(milkyhoop::business::BusinessService& svc, const std::string& business) {
  Catalogue c;
  c.business_id = business;
  v1::ListProductsRequest req;
  req.set_org_id(kOrgId);
  req.set_business_id(business);
  req.set_limit(200);
  auto res = Take(svc.ListProducts(req), "ListProducts");
  for (const auto& p : res.items()) {
    c.product_ids.push_back(p.id());
    c.prices.push_back(p.price().amount());
    c.costs.push_back(p.cost().amount());
  }
  if (c.product_ids.empty()) Die("the kept business has no products");
  return c;
}

Catalogue CreateCatalogue(milkyhoop::business::BusinessService& svc, std::mt19937_64& rng) {
  Catalogue c;
  v1::CreateBusinessRequest b;
  b.set_org_id(kOrgId);
  b.set_actor_id(kActor);
  b.set_name(kBusinessName);
  b.set_currency("IDR");
  b.set_time_zone("Asia/Jakarta");
  c.business_id = Take(svc.CreateBusiness(b), "CreateBusiness").business().id();
  std::uniform_int_distribution<std::int64_t> price(5, 200);  // thousands of rupiah
  std::uniform_int_distribution<int> margin(60, 80);          // cost, percent of price
  for (int i = 0; i < kProducts; ++i) {
    v1::CreateProductRequest p;
    p.set_org_id(kOrgId);
    p.set_business_id(c.business_id);
    p.set_actor_id(kActor);
    p.set_name("Barang " + std::to_string(i + 1));
    const std::int64_t pr = price(rng) * 1000;
    const std::int64_t co = pr * margin(rng) / 100;
    *p.mutable_price() = Idr(pr);
    *p.mutable_cost() = Idr(co);
    p.set_stock(kOpeningStock);
    p.set_unit("pcs");
    c.product_ids.push_back(Take(svc.CreateProduct(p), "CreateProduct").product().id());
    c.prices.push_back(pr);
    c.costs.push_back(co);
  }
  return c;
}

// One transaction of the mix: 85% sales (1-3 distinct products, sometimes a discount or 11% tax),
// 10% stock purchases, 5% expenses; times uniform over the year in Jakarta.
v1::PostTransactionRequest MakeTransaction(const Catalogue& c, std::mt19937_64& rng,
                                           std::int64_t year_start_ms, std::int64_t year_ms) {
  v1::PostTransactionRequest req;
  req.set_org_id(kOrgId);
  req.set_business_id(c.business_id);
  req.set_actor_id(kActor);
  std::uniform_int_distribution<std::int64_t> when(0, year_ms - 1);
  req.set_occurred_at_ms(year_start_ms + when(rng));
  std::uniform_int_distribution<int> kind(0, 99);
  std::uniform_int_distribution<std::size_t> product(0, c.product_ids.size() - 1);
  const int k = kind(rng);
  if (k < 85) {
    req.set_type("sale");
    std::uniform_int_distribution<int> lines(1, 3), qty(1, 5);
    const int n = lines(rng);
    std::vector<std::size_t> picked;
    std::int64_t subtotal = 0;
    while (static_cast<int>(picked.size()) < n) {
      const std::size_t p = product(rng);
      if (std::find(picked.begin(), picked.end(), p) != picked.end()) continue;
      picked.push_back(p);
      v1::TransactionItem* item = req.add_items();
      item->set_product_id(c.product_ids[p]);
      item->set_quantity(qty(rng));
      *item->mutable_unit_price() = Idr(c.prices[p]);
      subtotal += item->quantity() * c.prices[p];
    }
    const int extra = kind(rng);
    if (extra < 10) *req.mutable_discount() = Idr(subtotal / 20);  // 5% off
    if (extra >= 80) *req.mutable_tax() = Idr(subtotal * 11 / 100);
    req.set_payment_method(extra % 2 == 0 ? "cash" : "qris");
  } else if (k < 95) {
    req.set_type("purchase");
    const std::size_t p = product(rng);
    std::uniform_int_distribution<int> qty(10, 100), pct(90, 110);
    v1::TransactionItem* item = req.add_items();
    item->set_product_id(c.product_ids[p]);
    item->set_quantity(qty(rng));
    *item->mutable_unit_price() = Idr(c.costs[p] * pct(rng) / 100);
  } else {
    req.set_type("expense");
    std::uniform_int_distribution<std::int64_t> amount(50, 2000);
    v1::TransactionItem* item = req.add_items();
    item->set_name(kind(rng) < 50 ? "Listrik" : "Gaji harian");
    item->set_quantity(1);
    *item->mutable_unit_price() = Idr(amount(rng) * 1000);
  }
  return req;
}

struct LoadResult {
  std::int64_t posted = 0, voided = 0, retries = 0;
  double seconds = 0;
  bool capped = false;  // stopped by --max-load-seconds before `total`
};

// Posts `total` transactions from `threads` threads (thread t seeded with seed + t + 1); about
// one sale in 200 is voided right after posting, so the reversal path is part of the figures.
LoadResult Load(milkyhoop::business::BusinessService& svc, const Catalogue& c, std::int64_t total,
                int threads, std::uint64_t seed, std::int64_t year_start_ms, std::int64_t year_ms,
                double max_seconds) {
  std::atomic<std::int64_t> next{0}, posted{0}, voided{0}, retries{0};
  std::atomic<bool> failed{false}, stop{false};
  std::mutex error_mu;
  std::string error;
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937_64 rng(seed + static_cast<std::uint64_t>(t) + 1);
      std::uniform_int_distribution<int> void_pick(0, 199);
      while (!failed.load(std::memory_order_relaxed) && !stop.load(std::memory_order_relaxed)) {
        const std::int64_t i = next.fetch_add(1, std::memory_order_relaxed);
        if (i >= total) break;
        const v1::PostTransactionRequest req = MakeTransaction(c, rng, year_start_ms, year_ms);
        Status last;
        bool ok = false;
        for (int attempt = 0; attempt < 5 && !ok; ++attempt) {
          auto res = svc.PostTransaction(req);
          if (res.ok()) {
            ok = true;
            posted.fetch_add(1, std::memory_order_relaxed);
            if (req.type() == "sale" && void_pick(rng) == 0) {
              v1::VoidTransactionRequest v;
              v.set_org_id(kOrgId);
              v.set_transaction_id(res->transaction().id());
              v.set_actor_id(kActor);
              v.set_reason("salah input");
              auto vr = svc.VoidTransaction(v);
              if (!vr.ok()) {
                last = vr.status();
                ok = false;
                break;
              }
              voided.fetch_add(1, std::memory_order_relaxed);
            }
          } else {
            last = res.status();
            const auto code = last.code();
            if (code != StatusCode::kAborted && code != StatusCode::kUnavailable) break;
            retries.fetch_add(1, std::memory_order_relaxed);
          }
        }
        if (!ok) {
          std::lock_guard lock(error_mu);
          error = "transaction " + std::to_string(i) + " (" + req.type() + "): " + last.ToString();
          failed = true;
        }
      }
    });
  }
  std::int64_t last_report = 0;
  while (true) {
    bool done = true;
    for (int s = 0; s < 50; ++s) {  // report every 5 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (max_seconds > 0 && MsSince(t0) / 1000.0 >= max_seconds) stop = true;
      done = posted.load() >= total || failed.load() || stop.load();
      if (done) break;
    }
    const std::int64_t p = posted.load();
    const double secs = MsSince(t0) / 1000.0;
    if (p != last_report || done) {
      std::fprintf(stderr, "  loaded %lld/%lld (%.1f%%) in %.0f s: %.0f txn/s\n",
                   static_cast<long long>(p), static_cast<long long>(total),
                   100.0 * static_cast<double>(p) / static_cast<double>(total), secs,
                   static_cast<double>(p) / std::max(secs, 1e-9));
      last_report = p;
    }
    if (done) break;
  }
  for (auto& th : pool) th.join();
  if (failed) Die("loading failed: " + error);
  LoadResult r;
  r.posted = posted.load();
  r.voided = voided.load();
  r.retries = retries.load();
  r.seconds = MsSince(t0) / 1000.0;
  r.capped = r.posted < total;
  if (r.capped) {
    std::fprintf(stderr,
                 "load stopped by --max-load-seconds %.0f: %lld of %lld transactions loaded\n",
                 max_seconds, static_cast<long long>(r.posted), static_cast<long long>(total));
  }
  return r;
}

Figures FromReport(const v1::ProfitLossResponse& r) {
  return {r.revenue().amount(), r.cost_of_goods_sold().amount(), r.expenses().amount(),
          r.tax_collected().amount(), r.purchases().amount()};
}

// The same figures straight from the raw transactions: posted (not voided) sales, purchases and
// expenses of the business whose local day is in the year (reversals have type "void").
constexpr char kPlainSql[] =
    "SELECT COALESCE(SUM(CASE WHEN type = 'sale' THEN subtotal - discount ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN type = 'sale' THEN cogs ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN type = 'expense' THEN total ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN type = 'sale' THEN tax ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN type = 'purchase' THEN total ELSE 0 END), 0) "
    "FROM transactions WHERE org_id = $1 AND business_id = $2 AND status = 'posted' "
    "AND local_day >= $3 AND local_day <= $4";

Figures PlainAggregate(milkyhoop::sql::Database& db, const std::string& business,
                       std::int64_t from_day, std::int64_t to_day) {
  Figures f;
  Check(db.Read([&](milkyhoop::sql::Session& s) -> Status {
    auto rows = s.Query(kPlainSql, {std::string(kOrgId), business, from_day, to_day});
    if (!rows.ok()) return rows.status();
    f = {rows->Int(0, 0), rows->Int(0, 1), rows->Int(0, 2), rows->Int(0, 3), rows->Int(0, 4)};
    return Status::Ok();
  }),
        "plain SQL aggregate");
  return f;
}

std::string Describe(const Figures& f) { return ToJson(f).dump(); }

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  namespace fs = std::filesystem;

  // --- the database -------------------------------------------------------------------------
  std::unique_ptr<milkyhoop::sql::Database> db;
  fs::path temp_dir;
  std::string where;
  if (o.backend == "sqlite") {
    milkyhoop::sql::SqliteOptions so;
    if (o.sqlite_path.empty()) {
      temp_dir = fs::temp_directory_path() / ("mh-bench-business-" + milkyhoop::RandomHex(6));
      fs::create_directories(temp_dir);
      so.path = (temp_dir / "business.db").string();
    } else {
      so.path = o.sqlite_path;
    }
    where = so.path;
    db = Take(milkyhoop::sql::OpenSqlite(so), "OpenSqlite " + so.path);
  } else {
    const char* dsn = std::getenv("MILKYHOOP_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') Die("--backend postgres needs MILKYHOOP_TEST_PG_DSN");
    milkyhoop::sql::PostgresOptions po;
    po.dsn = dsn;
    po.schema = o.pg_schema.empty() ? "bench_business_" + milkyhoop::RandomHex(6) : o.pg_schema;
    po.pool_size = std::max(4, o.threads + 2);
    po.statement_timeout_ms = 600000;
    po.application_name = po.schema;
    where = "schema " + po.schema;
    db = Take(milkyhoop::sql::OpenPostgres(po), "OpenPostgres (schema " + po.schema + ")");
  }
  std::cerr << "backend " << o.backend << " (" << where << ")\n";
  Check(milkyhoop::business::MigrateBusinessDatabase(*db), "MigrateBusinessDatabase");
  auto security = milkyhoop::security::MakeSecurityService(milkyhoop::crypto::KeyRing::Generate());
  milkyhoop::SystemClock clock;
  auto svc = milkyhoop::business::MakeBusinessService(*db, *security, clock);

  // --- load ---------------------------------------------------------------------------------
  const std::int64_t from_day = DayNumber(o.year, 1, 1);
  const std::int64_t to_day = DayNumber(o.year, 12, 31);
  const std::int64_t year_start_ms = (from_day * 86400 - kJakartaOffsetMinutes * 60) * 1000;
  const std::int64_t year_ms = (to_day - from_day + 1) * 86400 * 1000;
  std::mt19937_64 rng(o.seed);
  Catalogue catalogue;
  LoadResult load;
  bool reused = false;
  std::int64_t existing = 0;
  if (auto found = FindBusiness(*db); found && o.keep) {
    auto count = Take(db->Query("SELECT COUNT(*) FROM transactions WHERE business_id = $1 AND "
                                "type <> 'void'",
                                {*found}),
                      "count");
    existing = count.Int(0, 0);
    if (existing >= o.txns) {
      catalogue = LoadCatalogue(*svc, *found);
      reused = true;
      std::cerr << "reusing the kept business " << *found << " with " << existing
                << " transactions (no load)\n";
    } else {
      Die("the kept database has the business with only " + std::to_string(existing) +
          " transactions: use a fresh --sqlite-path / --pg-schema");
    }
  }
  if (!reused) {
    catalogue = CreateCatalogue(*svc, rng);
    std::cerr << "loading " << o.txns << " transactions over " << o.year << " with " << o.threads
              << " threads (seed " << o.seed << ")\n";
    load = Load(*svc, catalogue, o.txns, o.threads, o.seed, year_start_ms, year_ms,
                o.max_load_seconds);
    std::fprintf(stderr, "loaded %lld transactions (%lld voided) in %.1f s: %.0f txn/s\n",
                 static_cast<long long>(load.posted), static_cast<long long>(load.voided),
                 load.seconds, static_cast<double>(load.posted) / load.seconds);
  }
  if (o.backend == "postgres") Check(db->Exec("ANALYZE").status(), "ANALYZE");
  auto rowcount = Take(db->Query("SELECT COUNT(*) FROM transactions WHERE business_id = $1",
                                 {catalogue.business_id}),
                       "count");
  auto daycount = Take(db->Query("SELECT COUNT(*) FROM daily_totals WHERE business_id = $1",
                                 {catalogue.business_id}),
                       "count");

  // --- time the report and the plain aggregate, then compare ---------------------------------
  v1::ProfitLossRequest pl;
  pl.mutable_range()->set_org_id(kOrgId);
  pl.mutable_range()->set_business_id(catalogue.business_id);
  pl.mutable_range()->set_from(std::to_string(o.year) + "-01-01");
  pl.mutable_range()->set_to(std::to_string(o.year) + "-12-31");
  const Figures report = FromReport(Take(svc->ProfitLoss(pl), "ProfitLoss"));
  const Figures plain = PlainAggregate(*db, catalogue.business_id, from_day, to_day);
  // Warm-up, then alternate blocks so noise hits both alike.
  for (int i = 0; i < 20; ++i) Check(svc->ProfitLoss(pl).status(), "ProfitLoss");
  std::vector<double> report_ms, plain_ms;
  const int rounds = std::min(o.plain_reps, 10);
  for (int r = 0; r < rounds; ++r) {
    const int n = o.report_reps / rounds + (r < o.report_reps % rounds ? 1 : 0);
    for (int i = 0; i < n; ++i) {
      const auto t0 = Clock::now();
      auto res = svc->ProfitLoss(pl);
      report_ms.push_back(MsSince(t0));
      Check(res.status(), "ProfitLoss");
      if (FromReport(*res) != report) Die("ProfitLoss answered different figures on a repeat");
    }
    const int m = o.plain_reps / rounds + (r < o.plain_reps % rounds ? 1 : 0);
    for (int i = 0; i < m; ++i) {
      const auto t0 = Clock::now();
      const Figures f = PlainAggregate(*db, catalogue.business_id, from_day, to_day);
      plain_ms.push_back(MsSince(t0));
      if (f != plain) Die("the plain aggregate answered different figures on a repeat");
    }
  }
  const Stats rs = Summarise(report_ms), ps = Summarise(plain_ms);
  const bool equal = report == plain;
  const double goal_ms = 20.0;

  std::printf("== profit and loss for %d over %lld transactions, %s\n", o.year,
              static_cast<long long>(rowcount.Int(0, 0)), o.backend.c_str());
  if (!reused) {
    std::printf(
        "load: %lld posted (%lld voided, %lld retried) with %d threads in %.1f s: %.0f "
        "txn/s\n",
        static_cast<long long>(load.posted), static_cast<long long>(load.voided),
        static_cast<long long>(load.retries), o.threads, load.seconds,
        static_cast<double>(load.posted) / load.seconds);
    if (load.capped) {
      std::printf(
          "LOAD CAPPED: stopped after %.0f s (--max-load-seconds) at %lld of the %lld "
          "transactions asked for; at this rate all would take %.0f s\n",
          load.seconds, static_cast<long long>(load.posted), static_cast<long long>(o.txns),
          static_cast<double>(o.txns) * load.seconds / static_cast<double>(load.posted));
    }
  }
  std::printf("%-34s %8s %10s %10s\n", "", "reps", "p50 ms", "p99 ms");
  std::printf("%-34s %8d %10.3f %10.3f\n", "report (ProfitLoss, daily_totals)", rs.reps, rs.p50_ms,
              rs.p99_ms);
  std::printf("%-34s %8d %10.3f %10.3f\n", "plain SQL SUM over transactions", ps.reps, ps.p50_ms,
              ps.p99_ms);
  std::printf("plain/report p50 ratio: %.1fx; goal p99 < %.0f ms: %s\n", ps.p50_ms / rs.p50_ms,
              goal_ms, rs.p99_ms < goal_ms ? "met" : "NOT met");
  std::printf("figures %s: report %s\n", equal ? "equal" : "DIFFER", Describe(report).c_str());
  if (!equal) std::printf("                plain  %s\n", Describe(plain).c_str());

  nlohmann::json out = {
      {"benchmark", "business_pnl"},
      {"backend", o.backend},
      {"database", where},
      {"params",
       {{"txns", o.txns},
        {"threads", o.threads},
        {"seed", o.seed},
        {"year", o.year},
        {"report_reps", o.report_reps},
        {"plain_reps", o.plain_reps},
        {"mix",
         "85% sales (1-3 lines, 10% with 5% discount, 20% with 11% tax), 10% purchases, "
         "5% expenses; 1 sale in 200 voided"}}},
      {"transactions_rows", rowcount.Int(0, 0)},
      {"daily_totals_rows", daycount.Int(0, 0)},
      {"reused_existing_load", reused},
      {"report", ToJson(rs)},
      {"plain_sql", ToJson(ps)},
      {"plain_sql_text", kPlainSql},
      {"ratio_plain_over_report_p50", ps.p50_ms / rs.p50_ms},
      {"goal_p99_ms", goal_ms},
      {"goal_met", rs.p99_ms < goal_ms},
      {"figures_equal", equal},
      {"figures_report", ToJson(report)},
      {"figures_plain", ToJson(plain)},
  };
  if (!reused) {
    out["load"] = {{"posted", load.posted},
                   {"voided", load.voided},
                   {"retries", load.retries},
                   {"seconds", load.seconds},
                   {"txn_per_s", static_cast<double>(load.posted) / load.seconds},
                   {"capped", load.capped},
                   {"max_load_seconds", o.max_load_seconds}};
  }
  if (!o.json_path.empty()) std::ofstream(o.json_path) << out.dump(2) << "\n";
  std::printf("%s\n", out.dump().c_str());

  // --- clean up ------------------------------------------------------------------------------
  if (o.backend == "postgres" && !o.keep) {
    const std::string schema = where.substr(std::string("schema ").size());
    auto dropped = db->Exec("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    if (!dropped.ok())
      std::cerr << "could not drop " << schema << ": " << dropped.status().ToString();
  }
  svc.reset();
  db.reset();
  if (!temp_dir.empty() && !o.keep) fs::remove_all(temp_dir);
  if (!equal) {
    std::cerr << "mh_bench_business_pnl: FAIL: the report's figures differ from the plain SQL "
                 "aggregate\n";
    return 3;
  }
  return 0;
}
