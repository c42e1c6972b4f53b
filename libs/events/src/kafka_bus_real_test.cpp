// The Kafka bus against a real Apache Kafka broker (KRaft, scripts/kafka-start.sh; scripts/test.sh
// starts it and sets MILKYHOOP_TEST_KAFKA_BOOTSTRAP). Each run uses its own topic prefix, so a
// broker kept between runs never replays an older run's events.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "milkyhoop/events/kafka_bus.hpp"

namespace milkyhoop::events {
namespace {

using namespace std::chrono_literals;

class Received {
 public:
  Status Take(const Event& e) {
    std::lock_guard lock(mu_);
    ids_.push_back(e.id);
    payloads_.push_back(e.payload);
    cv_.notify_all();
    return Status::Ok();
  }
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 60s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return ids_.size() >= n; });
  }
  std::vector<std::string> ids() {
    std::lock_guard lock(mu_);
    return ids_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> ids_, payloads_;
};

class KafkaRealBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bootstrap = std::getenv("MILKYHOOP_TEST_KAFKA_BOOTSTRAP");
    if (!bootstrap || !*bootstrap) {
      GTEST_SKIP() << "MILKYHOOP_TEST_KAFKA_BOOTSTRAP is not set (start a broker with "
                      "scripts/kafka-start.sh and export the address it prints)";
    }
    options_.bootstrap_servers = bootstrap;
    options_.topic_prefix =
        "mhtest-" + std::to_string(::getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".";
    options_.properties = {{"topic.metadata.refresh.interval.ms", "1000"}};
    options_.retry_backoff = 20ms;
  }
  KafkaBusOptions options_;
};

Event MakeEvent(int i) {
  Event e;
  e.id = "evt_" + std::to_string(i);
  e.type = "business.product.changed";
  e.tenant_id = i % 2 == 0 ? "org_a" : "org_b";
  e.occurred_at_ms = 1'715'742'000'000 + i;
  e.payload = "payload " + std::to_string(i);
  return e;
}

TEST_F(KafkaRealBrokerTest, EveryGroupGetsEveryEventInTenantOrderAndCommittedOnesStayConsumed) {
  Received rag;
  {
    auto bus = MakeKafkaBus(options_);
    ASSERT_TRUE(bus.ok()) << bus.status().ToString();
    Received audit;
    ASSERT_TRUE((*bus)
                    ->Subscribe("rag", {"business.product.changed"},
                                [&](const Event& e) { return rag.Take(e); })
                    .ok());
    ASSERT_TRUE((*bus)
                    ->Subscribe("audit", {"business.product.changed"},
                                [&](const Event& e) { return audit.Take(e); })
                    .ok());
    for (int i = 0; i < 20; ++i) {
      const Status s = (*bus)->Publish(MakeEvent(i));
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    ASSERT_TRUE(rag.WaitFor(20)) << rag.ids().size();
    ASSERT_TRUE(audit.WaitFor(20)) << audit.ids().size();
    // Per tenant, in publishing order.
    std::vector<std::string> org_a;
    for (const std::string& id : audit.ids()) {
      if (std::stoi(id.substr(4)) % 2 == 0) org_a.push_back(id);
    }
    ASSERT_EQ(org_a.size(), 10u);
    for (std::size_t k = 0; k < org_a.size(); ++k)
      EXPECT_EQ(org_a[k], "evt_" + std::to_string(2 * k));
  }
  // A new process of the "rag" service sees nothing again: every event was committed.
  auto again = MakeKafkaBus(options_);
  ASSERT_TRUE(again.ok());
  Received after;
  ASSERT_TRUE((*again)
                  ->Subscribe("rag", {"business.product.changed"},
                              [&](const Event& e) { return after.Take(e); })
                  .ok());
  ASSERT_TRUE((*again)->Publish(MakeEvent(100)).ok());
  ASSERT_TRUE(after.WaitFor(1));
  std::this_thread::sleep_for(2s);  // a redelivered old event would have arrived by now
  EXPECT_EQ(after.ids(), std::vector<std::string>{"evt_100"});
}

}  // namespace
}  // namespace milkyhoop::events
