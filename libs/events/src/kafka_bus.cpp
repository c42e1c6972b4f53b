// MakeKafkaBus: the EventBus over librdkafka (kafka_bus.hpp).
#include "milkyhoop/events/kafka_bus.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/events/v1/envelope.pb.h"

namespace milkyhoop::events {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kMaxBackoff{5000};
constexpr int kPollMs = 100;

// librdkafka properties the bus relies on: a caller may not change them.
const char* const kOwnedProperties[] = {"bootstrap.servers", "enable.idempotence", "acks",
                                        "group.id",          "enable.auto.commit", "client.id"};

Status Set(RdKafka::Conf& conf, const std::string& key, const std::string& value) {
  std::string error;
  if (conf.set(key, value, error) != RdKafka::Conf::CONF_OK) {
    return InvalidArgument("kafka property " + key + ": " + error);
  }
  return Status::Ok();
}

// librdkafka's own log lines and errors, into our JSON log (not its default: stderr).
class LogEvents final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        // Mostly transient (a broker down or restarting): librdkafka retries on its own.
        MH_LOG_WARN("kafka", {"error", RdKafka::err2str(event.err())}, {"detail", event.str()});
        break;
      case RdKafka::Event::EVENT_LOG:
        if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR) {
          MH_LOG_WARN("kafka", {"facility", event.fac()}, {"detail", event.str()});
        } else if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_NOTICE) {
          MH_LOG_INFO("kafka", {"facility", event.fac()}, {"detail", event.str()});
        } else {
          MH_LOG_DEBUG("kafka", {"facility", event.fac()}, {"detail", event.str()});
        }
        break;
      default:
        break;
    }
  }
};

LogEvents& TheLogEvents() {
  static LogEvents events;
  return events;
}

Result<std::unique_ptr<RdKafka::Conf>> BaseConf(const KafkaBusOptions& o) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  if (conf->set("event_cb", &TheLogEvents(), error) != RdKafka::Conf::CONF_OK) {
    return Internal("kafka event callback: " + error);
  }
  MH_TRY(Set(*conf, "bootstrap.servers", o.bootstrap_servers));
  MH_TRY(Set(*conf, "client.id", o.client_id));
  for (const auto& [key, value] : o.properties) MH_TRY(Set(*conf, key, value));
  return conf;
}

// One produce waiting for its delivery report.
struct Delivery {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  RdKafka::ErrorCode error = RdKafka::ERR_NO_ERROR;
};

// The opaque of a produced message: its own reference to the waiter's Delivery, so a report
// that arrives after the waiter gave up still has somewhere to go.
using DeliveryRef = std::shared_ptr<Delivery>;

class DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<DeliveryRef> ref(static_cast<DeliveryRef*>(message.msg_opaque()));
    if (!ref) return;
    Delivery& d = **ref;
    std::lock_guard lock(d.mu);
    d.done = true;
    d.error = message.err();
    d.cv.notify_all();
  }
};

std::string Serialise(const Event& e) {
  v1::EventEnvelope envelope;
  envelope.set_id(e.id);
  envelope.set_type(e.type);
  envelope.set_tenant_id(e.tenant_id);
  envelope.set_occurred_at(e.occurred_at_ms);
  envelope.set_trace_id(e.trace_id);
  envelope.set_payload(e.payload);
  return envelope.SerializeAsString();
}

std::optional<Event> Parse(const void* data, std::size_t size) {
  v1::EventEnvelope envelope;
  if (!envelope.ParseFromArray(data, static_cast<int>(size)) || envelope.id().empty() ||
      envelope.type().empty()) {
    return std::nullopt;
  }
  Event e;
  e.id = envelope.id();
  e.type = envelope.type();
  e.tenant_id = envelope.tenant_id();
  e.occurred_at_ms = envelope.occurred_at();
  e.trace_id = envelope.trace_id();
  e.payload = envelope.payload();
  return e;
}

class KafkaBus final : public EventBus {
 public:
  KafkaBus(KafkaBusOptions options, metrics::Registry* metrics)
      : options_(std::move(options)), metrics_(metrics) {}

  ~KafkaBus() override {
    StopConsuming();
    if (producer_) {
      producer_->flush(static_cast<int>(options_.publish_timeout.count()));
      // What the brokers never took (a broker down at shutdown) is purged, and polling serves
      // the purged messages' reports, which free their opaques. The relay publishes those
      // events again after a restart: their outbox rows were never marked sent.
      producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
      producer_->flush(1000);
    }
  }

  void StopConsuming() override {
    stopping_.store(true);
    std::lock_guard lock(mu_);
    for (auto& c : consumers_) {
      if (c->thread.joinable()) {
        c->thread.join();
        std::vector<RdKafka::TopicPartition*> offsets;
        for (const auto& [where, next] : c->handled) {
          offsets.push_back(RdKafka::TopicPartition::create(where.first, where.second, next));
        }
        if (!offsets.empty()) c->consumer->commitSync(offsets);
        RdKafka::TopicPartition::destroy(offsets);
        c->consumer->close();  // leaves the group: the others take its partitions at once
      }
    }
  }

  Status Init() {
    MH_ASSIGN_OR_RETURN(auto conf, BaseConf(options_));
    // Exactly-once into the log per producer session: retries never duplicate or reorder.
    MH_TRY(Set(*conf, "enable.idempotence", "true"));
    MH_TRY(Set(*conf, "acks", "all"));
    // An outbox event is waited for: batch for at most 2 ms (librdkafka's default is 5).
    if (!options_.properties.contains("linger.ms")) MH_TRY(Set(*conf, "linger.ms", "2"));
    std::string error;
    if (conf->set("dr_cb", &reports_, error) != RdKafka::Conf::CONF_OK) {
      return Internal("kafka delivery callback: " + error);
    }
    producer_.reset(RdKafka::Producer::create(conf.get(), error));
    if (!producer_) return InvalidArgument("kafka producer: " + error);
    if (metrics_) {
      dead_lettered_ = metrics_->GetCounter("milkyhoop_events_dead_lettered_total",
                                            "Events a consumer gave up on, copied to its "
                                            "dead-letter topic");
      retries_ = metrics_->GetCounter("milkyhoop_events_consumer_retries_total",
                                      "Failed attempts of event consumers that were retried");
    }
    return Status::Ok();
  }

  Status Publish(const Event& event) override {
    if (event.id.empty() || event.type.empty()) {
      return InvalidArgument("an event needs an id and a type");
    }
    return Produce(options_.topic_prefix + event.type,
                   event.tenant_id.empty() ? event.id : event.tenant_id, Serialise(event), {});
  }

  // Everything is handed to librdkafka first (it batches and pipelines), then the reports are
  // awaited in order: one round trip for the batch instead of one per event.
  std::size_t PublishBatch(std::span<const Event> events, Status* error) override {
    std::vector<std::shared_ptr<Delivery>> deliveries;
    deliveries.reserve(events.size());
    Status enqueue_error;
    for (const Event& e : events) {
      if (e.id.empty() || e.type.empty()) {
        enqueue_error = InvalidArgument("an event needs an id and a type");
        break;
      }
      auto d = Enqueue(options_.topic_prefix + e.type, e.tenant_id.empty() ? e.id : e.tenant_id,
                       Serialise(e), {});
      if (!d.ok()) {
        enqueue_error = d.status();
        break;
      }
      deliveries.push_back(std::move(*d));
    }
    const auto deadline = Clock::now() + options_.publish_timeout;
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
      if (Status s = Await(*deliveries[i], options_.topic_prefix + events[i].type, deadline);
          !s.ok()) {
        *error = std::move(s);
        return i;
      }
    }
    if (deliveries.size() < events.size()) *error = enqueue_error;
    return deliveries.size();
  }

  Status Subscribe(std::string consumer, std::vector<std::string> types, Handler handler) override {
    if (consumer.empty() || types.empty() || !handler) {
      return InvalidArgument("subscription needs a consumer, types and a handler");
    }
    if (stopping_.load()) return FailedPrecondition("the bus has stopped consuming");
    MH_ASSIGN_OR_RETURN(auto conf, BaseConf(options_));
    MH_TRY(Set(*conf, "group.id", options_.topic_prefix + consumer));
    MH_TRY(Set(*conf, "enable.auto.commit", "false"));
    MH_TRY(Set(*conf, "auto.offset.reset", "earliest"));  // a new group misses nothing
    MH_TRY(Set(*conf, "allow.auto.create.topics", "true"));
    std::string error;
    auto sub = std::make_unique<Subscription>();
    sub->name = std::move(consumer);
    sub->handler = std::move(handler);
    sub->consumer.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
    if (!sub->consumer) return InvalidArgument("kafka consumer: " + error);
    std::vector<std::string> topics;
    for (const std::string& t : types) topics.push_back(options_.topic_prefix + t);
    if (RdKafka::ErrorCode err = sub->consumer->subscribe(topics); err) {
      return Unavailable("kafka subscribe: " + RdKafka::err2str(err));
    }
    if (metrics_) {
      sub->consumed = metrics_->GetCounter("milkyhoop_events_consumed_total",
                                           "Events handled by each consuming service",
                                           {{"consumer", sub->name}});
    }
    Subscription* raw = sub.get();
    std::lock_guard lock(mu_);
    consumers_.push_back(std::move(sub));
    raw->thread = std::thread([this, raw] { Consume(*raw); });
    return Status::Ok();
  }

 private:
  struct Subscription {
    std::string name;
    Handler handler;
    std::unique_ptr<RdKafka::KafkaConsumer> consumer;
    metrics::Counter* consumed = nullptr;
    std::thread thread;
    // Per topic and partition, the offset after the last event handled (its thread only).
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> handled;
  };

  // Produces one message and waits for the brokers' acknowledgement.
  Status Produce(const std::string& topic, const std::string& key, const std::string& value,
                 const std::vector<std::pair<std::string, std::string>>& headers) {
    MH_ASSIGN_OR_RETURN(auto delivery, Enqueue(topic, key, value, headers));
    return Await(*delivery, topic, Clock::now() + options_.publish_timeout);
  }

  // Hands one message to librdkafka; its delivery report will land in the returned Delivery.
  Result<std::shared_ptr<Delivery>> Enqueue(
      const std::string& topic, const std::string& key, const std::string& value,
      const std::vector<std::pair<std::string, std::string>>& headers) {
    auto delivery = std::make_shared<Delivery>();
    auto ref = std::make_unique<DeliveryRef>(delivery);
    RdKafka::Headers* h = nullptr;
    if (!headers.empty()) {
      h = RdKafka::Headers::create();
      for (const auto& [name, text] : headers) h->add(name, text);
    }
    RdKafka::ErrorCode queued = RdKafka::ERR__QUEUE_FULL;
    for (int tries = 0; queued == RdKafka::ERR__QUEUE_FULL && tries < 100; ++tries) {
      queued = producer_->produce(topic, RdKafka::Topic::PARTITION_UA,
                                  RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                                  value.size(), key.data(), key.size(), 0, h, ref.get());
      if (queued == RdKafka::ERR__QUEUE_FULL) producer_->poll(kPollMs);  // let reports drain
    }
    if (queued != RdKafka::ERR_NO_ERROR) {
      delete h;  // the message owns the headers (and the opaque) only once produce() succeeds
      return Unavailable("kafka produce to " + topic + ": " + RdKafka::err2str(queued));
    }
    ref.release();  // the delivery report frees it
    return delivery;
  }

  // Waits for one delivery report until `deadline`.
  Status Await(Delivery& delivery, const std::string& topic, Clock::time_point deadline) {
    while (true) {
      {
        std::lock_guard lock(delivery.mu);
        if (delivery.done) break;
      }
      if (Clock::now() >= deadline) {
        // It may still be delivered: the relay publishes again and the consumers' processed-id
        // records absorb the second copy.
        return DeadlineExceeded("kafka did not acknowledge the event on " + topic + " in time");
      }
      producer_->poll(kPollMs);
    }
    if (delivery.error != RdKafka::ERR_NO_ERROR) {
      return Unavailable("kafka delivery to " + topic + ": " + RdKafka::err2str(delivery.error));
    }
    return Status::Ok();
  }

  void Consume(Subscription& s) {
    while (!stopping_.load()) {
      std::unique_ptr<RdKafka::Message> m(s.consumer->consume(kPollMs));
      if (!m) continue;
      if (m->err() == RdKafka::ERR__TIMED_OUT || m->err() == RdKafka::ERR__PARTITION_EOF) continue;
      if (m->err() != RdKafka::ERR_NO_ERROR) {
        // Transient (a broker down, a topic not created yet): librdkafka keeps retrying.
        MH_LOG_DEBUG("kafka consumer", {"consumer", s.name}, {"error", m->errstr()});
        continue;
      }
      if (!Handle(s, *m)) return;  // stopping while retrying: not committed, redelivered later
      // Asynchronously, in order: a commit lost in a crash only means a redelivery, which the
      // consumers' processed-id records absorb. StopConsuming commits the last ones for sure.
      s.consumer->commitAsync(m.get());
      s.handled[{m->topic_name(), m->partition()}] = m->offset() + 1;
    }
  }

  // True once the message is done with: handled, or dead-lettered.
  bool Handle(Subscription& s, RdKafka::Message& m) {
    std::optional<Event> event = Parse(m.payload(), m.len());
    if (!event) return DeadLetter(s, m, "not an event envelope");
    milliseconds backoff = options_.retry_backoff;
    Status last;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      try {
        last = s.handler(*event);
      } catch (const std::exception& e) {
        last = Internal(std::string("consumer threw: ") + e.what());
      }
      if (last.ok()) {
        if (s.consumed) s.consumed->Inc();
        return true;
      }
      MH_LOG_WARN("event consumer failed", {"consumer", s.name}, {"type", event->type},
                  {"event_id", event->id}, {"attempt", attempt}, {"error", last.ToString()});
      if (attempt == options_.max_attempts) break;
      if (retries_) retries_->Inc();
      const auto until = Clock::now() + backoff;
      while (Clock::now() < until) {
        if (stopping_.load()) return false;
        std::this_thread::sleep_for(std::min(milliseconds(50), backoff));
      }
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
    return DeadLetter(s, m, last.ToString());
  }

  bool DeadLetter(Subscription& s, RdKafka::Message& m, const std::string& error) {
    const std::string topic = options_.topic_prefix + "dlq." + s.name;
    const std::string value(static_cast<const char*>(m.payload()), m.len());
    const std::string key = m.key() ? *m.key() : std::string();
    while (!stopping_.load()) {
      Status sent = Produce(topic, key, value,
                            {{"error", error.substr(0, 1000)}, {"original_topic", m.topic_name()}});
      if (sent.ok()) {
        if (dead_lettered_) dead_lettered_->Inc();
        MH_LOG_ERROR("event dead-lettered", {"consumer", s.name}, {"topic", m.topic_name()},
                     {"dead_letter_topic", topic}, {"error", error});
        return true;
      }
      MH_LOG_WARN("dead-letter produce failed; retrying", {"topic", topic},
                  {"error", sent.ToString()});
    }
    return false;
  }

  const KafkaBusOptions options_;
  metrics::Registry* metrics_;
  DeliveryReports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Subscription>> consumers_;
  std::atomic<bool> stopping_{false};
  metrics::Counter* dead_lettered_ = nullptr;
  metrics::Counter* retries_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<EventBus>> MakeKafkaBus(KafkaBusOptions options,
                                               metrics::Registry* metrics) {
  if (options.bootstrap_servers.empty()) {
    return InvalidField("events.kafka_bootstrap_servers", "is required for the Kafka bus");
  }
  if (options.max_attempts < 1) return InvalidArgument("max_attempts must be at least 1");
  for (const auto& [key, value] : options.properties) {
    for (const char* owned : kOwnedProperties) {
      if (key == owned) return InvalidArgument("kafka property " + key + " is set by the bus");
    }
  }
  auto bus = std::make_unique<KafkaBus>(std::move(options), metrics);
  MH_TRY(bus->Init());
  return std::unique_ptr<EventBus>(std::move(bus));
}

}  // namespace milkyhoop::events
