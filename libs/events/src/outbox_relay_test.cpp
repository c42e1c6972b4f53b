#include "milkyhoop/events/outbox_relay.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/sql/migration.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::events {
namespace {

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("relay-" + RandomHex(6));
    auto db = sql::OpenSqlite({(dir_ / "svc.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(sql::Migrate(*db_, "svc", {}).ok());
    bus_ = MakeInProcessBus();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Append(std::string type, std::string payload) {
    ASSERT_TRUE(
        db_->Transaction([&](sql::Session& tx) {
             return sql::AppendOutbox(tx, {0, NewId("evt_"), type, "org_1", payload, "", 1, 0});
           })
            .ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<EventBus> bus_;
};

TEST_F(OutboxRelayTest, DeliversInOrderAndMarksSent) {
  std::vector<std::string> seen;
  ASSERT_TRUE(bus_->Subscribe("audit", {"a.created", "a.deleted"},
                              [&](const Event& e) {
                                seen.push_back(e.type + ":" + e.payload);
                                return Status::Ok();
                              })
                  .ok());
  Append("a.created", "1");
  Append("other.type", "x");
  Append("a.deleted", std::string("\0\xff", 2));
  OutboxRelay relay("svc", *db_, *bus_, {}, nullptr);
  auto n = relay.RunOnce();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "a.created:1");
  EXPECT_EQ(seen[1], "a.deleted:" + std::string("\0\xff", 2));
  EXPECT_EQ(*sql::CountUnsentOutbox(*db_), 0);
  EXPECT_EQ(*relay.RunOnce(), 0);  // nothing delivered twice
}

// Two processes sharing one outbox: only the one inside the exclusion relays, and it leaves it.
TEST_F(OutboxRelayTest, APassRunsOnlyInsideTheExclusion) {
  int seen = 0;
  ASSERT_TRUE(bus_->Subscribe("audit", {"a.created"},
                              [&](const Event&) {
                                ++seen;
                                return Status::Ok();
                              })
                  .ok());
  Append("a.created", "1");
  bool other_process_relays = true;
  int entered = 0, left = 0;
  RelayOptions options;
  options.exclusion.enter = [&] {
    ++entered;
    return !other_process_relays;
  };
  options.exclusion.leave = [&] { ++left; };
  OutboxRelay relay("svc", *db_, *bus_, options, nullptr);

  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(seen, 0);
  EXPECT_EQ(*sql::CountUnsentOutbox(*db_), 1);  // still there for the process that relays
  EXPECT_EQ(left, 0);

  other_process_relays = false;
  EXPECT_EQ(*relay.RunOnce(), 1);
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(entered, 2);
  EXPECT_EQ(left, 1);
}

TEST_F(OutboxRelayTest, FailingConsumerIsRetriedAndNothingIsLost) {
  int calls = 0;
  bool healthy = false;
  ASSERT_TRUE(bus_->Subscribe("notify", {"t"},
                              [&](const Event&) {
                                ++calls;
                                return healthy ? Status::Ok() : Unavailable("smtp down");
                              })
                  .ok());
  Append("t", "a");
  Append("t", "b");
  OutboxRelay relay("svc", *db_, *bus_, {}, nullptr);
  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(*sql::CountUnsentOutbox(*db_), 2);
  // Down for longer than max_attempts passes: still not parked.
  for (int i = 0; i < 15; ++i) EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(*sql::CountUnsentOutbox(*db_), 2);
  healthy = true;
  EXPECT_EQ(*relay.RunOnce(), 2);
  EXPECT_EQ(calls, 18);
}

TEST_F(OutboxRelayTest, IdempotentConsumerIgnoresRedelivery) {
  int applied = 0;
  ASSERT_TRUE(bus_->Subscribe("counter", {"t"},
                              [&](const Event& e) {
                                return db_->Transaction([&](sql::Session& tx) -> Status {
                                  MH_ASSIGN_OR_RETURN(bool fresh,
                                                      sql::MarkEventProcessed(tx, "counter", e.id));
                                  if (fresh) ++applied;
                                  return Status::Ok();
                                });
                              })
                  .ok());
  Event e{"evt_1", "t", "", "", 0, ""};
  ASSERT_TRUE(bus_->Publish(e).ok());
  ASSERT_TRUE(bus_->Publish(e).ok());
  EXPECT_EQ(applied, 1);
}

TEST_F(OutboxRelayTest, PoisonEventIsDeadLetteredAfterMaxAttempts) {
  ASSERT_TRUE(bus_->Subscribe("c", {"poison", "good"},
                              [&](const Event& e) {
                                return e.type == "poison" ? Internal("cannot parse") : Status::Ok();
                              })
                  .ok());
  Append("poison", "?");
  Append("good", "!");
  RelayOptions o;
  o.max_attempts = 3;
  OutboxRelay relay("svc", *db_, *bus_, o, nullptr);
  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(*relay.RunOnce(), 2);  // third failure parks it; the good one goes through
  EXPECT_EQ(*sql::CountUnsentOutbox(*db_), 0);
}

TEST_F(OutboxRelayTest, BackgroundThreadDeliversAfterNotify) {
  std::mutex mu;
  std::condition_variable cv;
  int got = 0;
  ASSERT_TRUE(bus_->Subscribe("c", {"t"},
                              [&](const Event&) {
                                std::lock_guard lock(mu);
                                ++got;
                                cv.notify_all();
                                return Status::Ok();
                              })
                  .ok());
  RelayOptions o;
  o.poll_interval = std::chrono::seconds(30);  // only Notify can make it this fast
  OutboxRelay relay("svc", *db_, *bus_, o, nullptr);
  relay.Start();
  Append("t", "x");
  relay.Notify();
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return got == 1; }));
  lock.unlock();
  relay.Stop();
}

}  // namespace
}  // namespace milkyhoop::events
