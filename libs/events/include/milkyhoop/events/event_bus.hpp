#pragma once
// The event bus seen by services: the outbox relay publishes, consumers subscribe by type.
// Delivery is at least once; consumers are idempotent (sql::MarkEventProcessed in their own
// transaction). The in-process bus delivers synchronously to every subscriber, so the relay
// marks an outbox row sent only once every consumer has handled it: nothing is lost when a
// consumer fails, it is retried. Kafka implements the same interface for the split shape.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::events {

struct Event {
  std::string id;
  std::string type;       // "auth.user.registered", "business.transaction.posted", ...
  std::string tenant_id;  // organisation id, "" for events without a tenant
  std::string trace_id;
  std::int64_t occurred_at_ms = 0;
  std::string payload;  // the serialised protobuf message of that type
};

using Handler = std::function<Status(const Event&)>;

class EventBus {
 public:
  virtual ~EventBus() = default;
  // Delivers to every subscriber of event.type. An error means at least one consumer failed;
  // the caller (the relay) retries later.
  virtual Status Publish(const Event& event) = 0;
  // Publishes `events` in order; returns how many, from the first, were published. When that is
  // fewer than all, *error says why the next one was not (later ones may or may not have been:
  // publishing them again is safe, consumers are idempotent). The default publishes one by one;
  // Kafka sends the whole batch before waiting for the brokers.
  virtual std::size_t PublishBatch(std::span<const Event> events, Status* error) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (Status s = Publish(events[i]); !s.ok()) {
        *error = std::move(s);
        return i;
      }
    }
    return events.size();
  }
  // `consumer` names the consuming service (its consumer group); `types` the event types.
  virtual Status Subscribe(std::string consumer, std::vector<std::string> types,
                           Handler handler) = 0;
  // Stops delivering to subscribers (returns once no handler runs any more); publishing still
  // works. Called at shutdown before the consumers' services go away. Idempotent.
  virtual void StopConsuming() {}
};

std::unique_ptr<EventBus> MakeInProcessBus();

}  // namespace milkyhoop::events
