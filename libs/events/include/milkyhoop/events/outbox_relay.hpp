#pragma once
// Moves events from a service's outbox table to the bus: oldest first, marks them sent after a
// successful publish, counts failures and parks an event after `max_attempts` failures that are
// the event's own (dead letter, visible in metrics). Unavailable, deadline exceeded and resource
// exhausted are the bus or a consumer's dependency being down: such an event is retried on
// every pass until it goes through, never parked. Runs on its own thread; Notify() wakes it right
// after a commit so events flow with low latency, and a poll interval catches anything else.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::metrics {
class Registry;
class Counter;
}  // namespace milkyhoop::metrics

namespace milkyhoop::events {

// Taken around each pass when several processes host one service and so share its outbox:
// one relays at a time, so its events leave in commit order and once. Empty: every pass runs.
struct RelayExclusion {
  std::function<bool()> enter;  // false: another process is relaying; this pass is skipped
  std::function<void()> leave;
};

struct RelayOptions {
  std::chrono::milliseconds poll_interval{200};
  int batch_size = 100;
  int max_attempts = 10;
  RelayExclusion exclusion;
};

class OutboxRelay {
 public:
  OutboxRelay(std::string service, sql::Database& db, EventBus& bus, RelayOptions options,
              metrics::Registry* metrics);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void Start();
  // Publishes what is pending now, then stops the thread.
  void Stop();
  void Notify();
  // One pass: publishes up to batch_size pending events. Returns how many were sent.
  Result<int> RunOnce();

 private:
  void Loop();
  Result<int> RelayPass();  // RunOnce's work, within the exclusion

  std::string service_;
  sql::Database& db_;
  EventBus& bus_;
  RelayOptions options_;
  metrics::Counter* published_ = nullptr;
  metrics::Counter* failed_ = nullptr;
  metrics::Counter* dead_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace milkyhoop::events
