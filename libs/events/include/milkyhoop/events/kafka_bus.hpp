#pragma once
// The event bus over Apache Kafka (librdkafka), for services running as separate processes.
// Same interface and the same promise as the in-process bus — an event the relay was told is
// published is delivered to every consuming service at least once — with Kafka's shape:
//   - one topic per event type (topic_prefix + type, e.g. "milkyhoop.business.transaction.posted"),
//     keyed by tenant so one organisation's events keep their order;
//   - events travel as milkyhoop.events.v1.EventEnvelope protobuf messages;
//   - Publish returns once the brokers have acknowledged the event (idempotent producer,
//     acks=all), so the outbox relay marks a row sent only when it is durable in Kafka;
//   - each consuming service is a consumer group (topic_prefix + consumer); offsets are committed
//     after the handler succeeds, so a crash redelivers and consumers' processed-id records make
//     the redelivery change nothing;
//   - a handler that keeps failing is retried max_attempts times with backoff, then the event is
//     copied to the dead-letter topic topic_prefix + "dlq." + consumer (with the error and the
//     original topic in headers) and skipped, counted in milkyhoop_events_dead_lettered_total.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/events/event_bus.hpp"

namespace milkyhoop::events {

struct KafkaBusOptions {
  std::string bootstrap_servers;  // "host:port[,host:port]"
  std::string topic_prefix = "milkyhoop.";
  std::string client_id = "milkyhoop";
  std::chrono::milliseconds publish_timeout{10'000};  // until the brokers acknowledge
  int max_attempts = 5;                               // per event and consumer, then dead letter
  std::chrono::milliseconds retry_backoff{200};       // doubled per attempt, capped at 5 s
  // Further librdkafka properties (TLS, SASL, tuning); they may not turn off idempotence.
  std::map<std::string, std::string> properties;
};

// Checks the options and creates the producer (no broker is contacted yet: a broker that is
// down makes Publish fail after publish_timeout, and the relay retries). Consumers start on
// Subscribe; the destructor stops them, finishing the event in hand.
Result<std::unique_ptr<EventBus>> MakeKafkaBus(KafkaBusOptions options,
                                               metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::events
