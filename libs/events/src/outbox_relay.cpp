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
  MH_ASSIGN_OR_RETURN(auto events, sql::FetchUnsentOutbox(db_, options_.batch_size));
  std::vector<std::int64_t> sent;
  for (const auto& e : events) {
    Event ev{e.id, e.type, e.tenant_id, e.trace_id, e.created_at_ms, e.payload};
    Status s = bus_.Publish(ev);
    if (s.ok()) {
      sent.push_back(e.seq);
      continue;
    }
    if (failed_) failed_->Inc();
    if (IsTransient(s.code())) {
      // The bus or a consumer's dependency is down (Kafka restarting, a database away): the
      // event is fine and must wait, however long, not be parked. The pass stops here and the
      // next one retries it.
      break;
    }
    if (e.attempts + 1 >= options_.max_attempts) {
      // Parked: logged in full and counted, then taken out of the way of the events after it.
      if (dead_) dead_->Inc();
      MH_LOG_ERROR("event dead-lettered", {"service", service_}, {"type", e.type},
                   {"event_id", e.id}, {"tenant_id", e.tenant_id}, {"attempts", e.attempts + 1},
                   {"error", s.ToString()});
      sent.push_back(e.seq);
      continue;
    }
    (void)sql::RecordOutboxFailure(db_, e.seq);
    // Keep the order of one outbox: stop at a failure and retry from it on the next pass.
    break;
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
