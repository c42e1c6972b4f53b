// The Kafka bus against librdkafka's mock cluster (a Kafka protocol implementation inside
// librdkafka): delivery to every consuming service, ordering per tenant, commit after success,
// redelivery of what was not committed, dead letters, and the option checks. The same bus runs
// against a real broker in kafka_bus_real_test.cpp.
#include "milkyhoop/events/kafka_bus.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace milkyhoop::events {
namespace {

using namespace std::chrono_literals;

// A mock cluster of one broker, alive for the test.
class MockCluster {
 public:
  MockCluster() {
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", error, sizeof(error));
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    if (rk_) bootstraps_ = rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(rk_));
  }
  ~MockCluster() {
    if (rk_) rd_kafka_destroy(rk_);
  }
  const std::string& bootstraps() const { return bootstraps_; }

 private:
  rd_kafka_t* rk_ = nullptr;
  std::string bootstraps_;
};

// What a consumer received, waitable.
class Inbox {
 public:
  Status Take(const Event& e) {
    std::lock_guard lock(mu_);
    events_.push_back(e);
    cv_.notify_all();
    return Status::Ok();
  }
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 30s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  std::vector<Event> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Event> events_;
};

Event MakeEvent(std::string id, std::string tenant, std::string payload) {
  Event e;
  e.id = std::move(id);
  e.type = "business.transaction.posted";
  e.tenant_id = std::move(tenant);
  e.trace_id = "trace-" + e.id;
  e.occurred_at_ms = 1'715'742'000'000;
  e.payload = std::move(payload);
  return e;
}

class KafkaBusTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(cluster_.bootstraps().empty()) << "no mock cluster"; }

  KafkaBusOptions Options() const {
    KafkaBusOptions o;
    o.bootstrap_servers = cluster_.bootstraps();
    o.retry_backoff = 10ms;
    o.max_attempts = 3;
    // Topics created after a consumer subscribed are found quickly, and a group whose member
    // left rebalances in seconds, not the default 45 s session timeout.
    o.properties = {{"topic.metadata.refresh.interval.ms", "500"},
                    {"session.timeout.ms", "6000"},
                    {"heartbeat.interval.ms", "500"}};
    return o;
  }

  std::unique_ptr<EventBus> Bus(KafkaBusOptions o, metrics::Registry* metrics = nullptr) {
    auto bus = MakeKafkaBus(std::move(o), metrics);
    EXPECT_TRUE(bus.ok()) << bus.status().ToString();
    return bus.ok() ? std::move(*bus) : nullptr;
  }

  MockCluster cluster_;
};

TEST_F(KafkaBusTest, EveryConsumingServiceGetsEveryEventWithItsFieldsInTenantOrder) {
  auto bus = Bus(Options());
  ASSERT_TRUE(bus);
  Inbox rag, audit;
  ASSERT_TRUE(bus->Subscribe("rag", {"business.transaction.posted"},
                             [&](const Event& e) { return rag.Take(e); })
                  .ok());
  ASSERT_TRUE(bus->Subscribe("audit", {"business.transaction.posted"},
                             [&](const Event& e) { return audit.Take(e); })
                  .ok());
  const std::string binary("\x00\x01pay\xffload", 10);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(bus->Publish(MakeEvent("evt_" + std::to_string(i), "org_a", binary)).ok());
  }
  ASSERT_TRUE(rag.WaitFor(5)) << rag.events().size();
  ASSERT_TRUE(audit.WaitFor(5)) << audit.events().size();
  for (Inbox* inbox : {&rag, &audit}) {
    const auto got = inbox->events();
    ASSERT_EQ(got.size(), 5u);
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(got[i].id, "evt_" + std::to_string(i)) << "one tenant's events keep their order";
      EXPECT_EQ(got[i].type, "business.transaction.posted");
      EXPECT_EQ(got[i].tenant_id, "org_a");
      EXPECT_EQ(got[i].trace_id, "trace-evt_" + std::to_string(i));
      EXPECT_EQ(got[i].occurred_at_ms, 1'715'742'000'000);
      EXPECT_EQ(got[i].payload, binary);
    }
  }
}

TEST_F(KafkaBusTest, WhatWasNotCommittedIsRedeliveredToTheGroupAndWhatWasIsNot) {
  {
    KafkaBusOptions patient = Options();
    patient.max_attempts = 1'000'000;  // still retrying evt_b when the process stops
    auto first = Bus(patient);
    Inbox handled;
    ASSERT_TRUE(first
                    ->Subscribe("org", {"business.transaction.posted"},
                                [&](const Event& e) -> Status {
                                  if (e.id == "evt_b") return Unavailable("database down");
                                  return handled.Take(e);
                                })
                    .ok());
    ASSERT_TRUE(first->Publish(MakeEvent("evt_a", "org_a", "a")).ok());
    ASSERT_TRUE(handled.WaitFor(1));
    // evt_b fails and is retried; the process stops while it is still failing.
    ASSERT_TRUE(first->Publish(MakeEvent("evt_b", "org_a", "b")).ok());
    std::this_thread::sleep_for(50ms);
  }
  // The service comes back: evt_a was committed, evt_b was not.
  auto second = Bus(Options());
  Inbox again;
  ASSERT_TRUE(second
                  ->Subscribe("org", {"business.transaction.posted"},
                              [&](const Event& e) { return again.Take(e); })
                  .ok());
  ASSERT_TRUE(again.WaitFor(1));
  std::this_thread::sleep_for(1s);  // anything else would have arrived by now
  const auto got = again.events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "evt_b");
}

TEST_F(KafkaBusTest, AnEventAConsumerKeepsFailingIsDeadLetteredAndTheNextOneFlows) {
  metrics::Registry registry;
  auto bus = Bus(Options(), &registry);
  Inbox handled, dead;
  int attempts = 0;
  ASSERT_TRUE(bus->Subscribe("audit", {"business.transaction.posted"},
                             [&](const Event& e) -> Status {
                               if (e.id == "evt_poison") {
                                 ++attempts;
                                 return Internal("cannot store it");
                               }
                               return handled.Take(e);
                             })
                  .ok());
  // The dead-letter topic is a topic like any other: an operator's tool can read it.
  ASSERT_TRUE(
      bus->Subscribe("operator", {"dlq.audit"}, [&](const Event& e) { return dead.Take(e); }).ok());
  ASSERT_TRUE(bus->Publish(MakeEvent("evt_poison", "org_a", "p")).ok());
  ASSERT_TRUE(bus->Publish(MakeEvent("evt_fine", "org_a", "f")).ok());
  ASSERT_TRUE(handled.WaitFor(1));
  ASSERT_TRUE(dead.WaitFor(1));
  EXPECT_EQ(handled.events()[0].id, "evt_fine");
  EXPECT_EQ(dead.events()[0].id, "evt_poison");
  EXPECT_EQ(attempts, 3);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("milkyhoop_events_dead_lettered_total 1"), std::string::npos) << text;
  EXPECT_NE(text.find("milkyhoop_events_consumer_retries_total 2"), std::string::npos) << text;
}

TEST_F(KafkaBusTest, ABrokerThatIsDownFailsThePublishInTime) {
  KafkaBusOptions o;
  o.bootstrap_servers = "127.0.0.1:1";  // nothing listens there
  o.publish_timeout = 1500ms;
  auto bus = Bus(o);
  ASSERT_TRUE(bus);
  const auto start = std::chrono::steady_clock::now();
  const Status s = bus->Publish(MakeEvent("evt_x", "org_a", "x"));
  EXPECT_FALSE(s.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(KafkaBusTest, OptionsAreChecked) {
  KafkaBusOptions none;
  auto missing = MakeKafkaBus(none);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field_errors()[0].field, "events.kafka_bootstrap_servers");
  KafkaBusOptions unsafe = Options();
  unsafe.properties["enable.idempotence"] = "false";
  EXPECT_EQ(MakeKafkaBus(unsafe).status().code(), StatusCode::kInvalidArgument);
  KafkaBusOptions unknown = Options();
  unknown.properties["no.such.property"] = "1";
  EXPECT_EQ(MakeKafkaBus(unknown).status().code(), StatusCode::kInvalidArgument);
  auto bus = Bus(Options());
  EXPECT_EQ(bus->Subscribe("", {"x"}, [](const Event&) { return Status::Ok(); }).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bus->Publish(Event{}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::events
