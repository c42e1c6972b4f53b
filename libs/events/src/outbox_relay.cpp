#include "milkyhoop/events/outbox_relay.hpp"

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::events {
namespace {

bool IsTransient(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded ||
         code == StatusCode::kResourceExhausted;
}

}  // namespace

OutboxRelay::OutboxRelay(std::string service, sql::Database& db, EventBus& bus,
                         RelayOptions options, metrics::Registry* metrics)
    : service_(std::move(service)), db_(db), bus_(bus), options_(options) {
  if (metrics) {
    published_ = metrics->GetCounter("events_published_total", "Events relayed from outboxes.",
                                     {{"service", service_}});
    failed_ =
        metrics->GetCounter("events_publish_failures_total",
                            "Failed attempts to deliver an outbox event.", {{"service", service_}});
    dead_ = metrics->GetCounter("events_dead_lettered_total",
                                "Events parked after too many failed deliveries.",
                                {{"service", service_}});
    metrics->AddCallbackGauge("outbox_pending_" + service_, "Outbox rows not yet delivered.",
                              [this] {
                                auto n = sql::CountUnsentOutbox(db_);
                                return n.ok() ? static_cast<double>(*n) : -1.0;
                              });
  }
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

void OutboxRelay::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  (void)RunOnce();  // flush what was committed before the stop
}

Result<int> OutboxRelay::RunOnce() {
  const RelayExclusion& exclusion = options_.exclusion;
  if (!exclusion.enter) return RelayPass();
  if (!exclusion.enter()) return 0;
  Result<int> relayed = RelayPass();
  exclusion.leave();
  return relayed;
}

Result<int> OutboxRelay::RelayPass() {
  MH_ASSIGN_OR_RETURN(auto rows, sql::FetchUnsentOutbox(db_, options_.batch_size));
  std::vector<Event> events;
  events.reserve(rows.size());
  for (const auto& e : rows) {
    events.push_back({e.id, e.type, e.tenant_id, e.trace_id, e.created_at_ms, e.payload});
  }
  std::vector<std::int64_t> sent;
  std::size_t next = 0;
  while (next < rows.size()) {
    Status error;
    const std::size_t published =
        bus_.PublishBatch(std::span<const Event>(events).subspan(next), &error);
    for (std::size_t i = 0; i < published; ++i) sent.push_back(rows[next + i].seq);
    next += published;
    if (next == rows.size()) break;
    const sql::OutboxEvent& e = rows[next];
    if (failed_) failed_->Inc();
    if (IsTransient(error.code())) {
      // The bus or a consumer's dependency is down (Kafka restarting, a database away): the
      // event is fine and must wait, however long, not be parked. The next pass retries it.
      break;
    }
    if (e.attempts + 1 < options_.max_attempts) {
      // Keep the order of one outbox: the next pass retries from this one.
      (void)sql::RecordOutboxFailure(db_, e.seq);
      break;
    }
    // Parked: logged in full and counted, then taken out of the way of the events after it.
    if (dead_) dead_->Inc();
    MH_LOG_ERROR("event dead-lettered", {"service", service_}, {"type", e.type}, {"event_id", e.id},
                 {"tenant_id", e.tenant_id}, {"attempts", e.attempts + 1},
                 {"error", error.ToString()});
    sent.push_back(e.seq);
    ++next;
  }
  if (!sent.empty()) {
    MH_TRY(sql::MarkOutboxSent(db_, sent));
    if (published_) published_->Inc(sent.size());
  }
  return static_cast<int>(sent.size());
}

void OutboxRelay::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.poll_interval, [this] { return notified_ || stopping_; });
      if (stopping_) return;
      notified_ = false;
    }
    auto r = RunOnce();
    if (!r.ok()) {
      MH_LOG_WARN("outbox relay pass failed", {"service", service_},
                  {"error", r.status().ToString()});
    } else if (*r == options_.batch_size) {
      Notify();  // a full batch: more may be waiting
    }
  }
}

}  // namespace milkyhoop::events
