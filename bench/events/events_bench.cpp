// Events end to end: N events appended to a service's outbox (SQLite, in transactions of
// --batch), relayed by the OutboxRelay to the bus, and handled by a consumer that records each
// event id in its own database (sql::MarkEventProcessed, as every real consumer does). Timed
// from the first append to the last event recorded; run on the in-process bus (the reference)
// and, with --kafka HOST:PORT, through a real Kafka broker. Prints one JSON object per bus.
//   mh_bench_events [--events N] [--batch B] [--kafka HOST:PORT] [--payload BYTES]
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

#include "bench_flags.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/events/kafka_bus.hpp"
#include "milkyhoop/events/outbox_relay.hpp"
#include "milkyhoop/sql/migration.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace mh = milkyhoop;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  int events = 20'000;
  int batch = 10;
  int payload = 200;
  std::string kafka;
};

constexpr char kProgram[] = "mh_bench_events";

void Die(const std::string& why) { milkyhoop::bench::Die(kProgram, why); }

Args Parse(int argc, char** argv) {
  Args a;
  for (const auto& [flag, value] : milkyhoop::bench::ParseFlags(
           kProgram, argc, argv, {"--events", "--batch", "--payload", "--kafka"})) {
    if (flag == "--events") a.events = std::atoi(value.c_str());
    if (flag == "--batch") a.batch = std::atoi(value.c_str());
    if (flag == "--payload") a.payload = std::atoi(value.c_str());
    if (flag == "--kafka") a.kafka = value;
  }
  if (a.events < 1 || a.batch < 1 || a.payload < 0) Die("--events, --batch must be positive");
  return a;
}

std::unique_ptr<mh::sql::Database> OpenDb(const std::filesystem::path& file) {
  auto db = mh::sql::OpenSqlite({file.string()});
  if (!db.ok()) Die(db.status().ToString());
  if (auto s = mh::sql::Migrate(**db, "bench", {}); !s.ok()) Die(s.ToString());
  return std::move(db).value();
}

void Run(const std::string& name, mh::events::EventBus& bus, const Args& a,
         const std::filesystem::path& dir) {
  auto producer_db = OpenDb(dir / (name + "-producer.db"));
  auto consumer_db = OpenDb(dir / (name + "-consumer.db"));
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<int> recorded{0};
  std::atomic<int> duplicates{0};
  Clock::time_point last;
  auto status = bus.Subscribe("bench", {"bench.thing.happened"}, [&](const mh::events::Event& e) {
    return consumer_db->Transaction([&](mh::sql::Session& tx) -> mh::Status {
      MH_ASSIGN_OR_RETURN(bool fresh, mh::sql::MarkEventProcessed(tx, "bench", e.id));
      if (!fresh) {
        ++duplicates;
        return mh::Status::Ok();
      }
      if (++recorded == a.events) {
        std::lock_guard lock(mu);
        last = Clock::now();
        cv.notify_all();
      }
      return mh::Status::Ok();
    });
  });
  if (!status.ok()) Die(status.ToString());

  mh::events::RelayOptions options;
  options.batch_size = 500;
  mh::events::OutboxRelay relay("bench", *producer_db, bus, options, nullptr);
  relay.Start();
  const std::string payload(static_cast<std::size_t>(a.payload), 'x');
  const auto start = Clock::now();
  for (int i = 0; i < a.events; i += a.batch) {
    auto s = producer_db->Transaction([&](mh::sql::Session& tx) -> mh::Status {
      for (int k = i; k < std::min(a.events, i + a.batch); ++k) {
        MH_TRY(mh::sql::AppendOutbox(tx, {0, mh::NewId("evt_"), "bench.thing.happened",
                                          "org_" + std::to_string(k % 16), payload, "", 0, 0}));
      }
      return mh::Status::Ok();
    });
    if (!s.ok()) Die(s.ToString());
    relay.Notify();
  }
  const auto appended = Clock::now();
  {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::minutes(5), [&] { return recorded.load() >= a.events; })) {
      Die(name + ": only " + std::to_string(recorded.load()) + " of " + std::to_string(a.events) +
          " events arrived in 5 minutes");
    }
  }
  relay.Stop();
  const double seconds = std::chrono::duration<double>(last - start).count();
  const double append_s = std::chrono::duration<double>(appended - start).count();
  std::printf(
      "{\"bus\": \"%s\", \"events\": %d, \"batch\": %d, \"payload_bytes\": %d, "
      "\"seconds\": %.3f, \"events_per_s\": %.0f, \"append_seconds\": %.3f, "
      "\"duplicates\": %d}\n",
      name.c_str(), a.events, a.batch, a.payload, seconds, a.events / seconds, append_s,
      duplicates.load());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  const auto dir = std::filesystem::temp_directory_path() / ("mh-bench-events-" + mh::RandomHex(6));
  std::filesystem::create_directories(dir);
  {
    auto memory = mh::events::MakeInProcessBus();
    Run("memory", *memory, a, dir);
  }
  if (!a.kafka.empty()) {
    mh::events::KafkaBusOptions o;
    o.bootstrap_servers = a.kafka;
    o.topic_prefix = "bench-" + mh::RandomHex(6) + ".";
    auto kafka = mh::events::MakeKafkaBus(o);
    if (!kafka.ok()) Die(kafka.status().ToString());
    Run("kafka", **kafka, a, dir);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
