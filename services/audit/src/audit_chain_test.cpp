// The chain under attack and under load, and the consumer: tampering with stored rows directly in
// the database, concurrent appenders in two "processes", redelivered events.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit_hash.hpp"
#include "audit_log.hpp"
#include "milkyhoop/audit/audit_factory.hpp"
#include "testing/test_database.hpp"

namespace milkyhoop::audit {
namespace {

using testing::Backend;

class AuditChainTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, testing::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateAuditDatabase(store_->db()));
    log_ = std::make_unique<AuditLog>(store_->db(), clock_);
  }

  static v1::AuditRecord Record(const std::string& org, const std::string& action) {
    v1::AuditRecord r;
    r.set_org_id(org);
    r.set_action(action);
    r.set_actor_id("usr_1");
    r.set_result("success");
    return r;
  }

  std::vector<v1::AuditEvent> AppendMany(const std::string& org, int n) {
    std::vector<v1::AuditEvent> out;
    for (int i = 0; i < n; ++i) {
      auto e = log_->Append(Record(org, "thing." + std::to_string(i)), {});
      EXPECT_TRUE(e.ok() && e->has_value()) << e.status().ToString();
      if (e.ok() && e->has_value()) out.push_back(**e);
    }
    return out;
  }

  v1::VerifyChainResponse Verify(const std::string& org) {
    v1::VerifyChainRequest req;
    req.set_org_id(org);
    auto res = log_->VerifyChain(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : v1::VerifyChainResponse();
  }

  ManualClock clock_;
  std::unique_ptr<testing::TestDatabase> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_P(AuditChainTest, AnEditedRowFailsVerificationAtExactlyThatEvent) {
  const auto events = AppendMany("org_a", 5);
  AppendMany("org_b", 2);
  ASSERT_TRUE(Verify("org_a").ok());
  MH_ASSERT_OK(store_->db().Exec("UPDATE audit_events SET actor_id = 'usr_innocent' WHERE id = $1",
                                 {events[2].id()}));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.first_bad_id(), events[2].id());
  EXPECT_EQ(res.reason(), "hash");
  EXPECT_EQ(res.count(), 2);
  EXPECT_TRUE(Verify("org_b").ok()) << "another organisation's chain is unaffected";
}

TEST_P(AuditChainTest, ARewrittenRowWithAFreshHashBreaksTheNextLink) {
  const auto events = AppendMany("org_a", 4);
  // The forger recomputes the edited event's hash; the next event still names the old one.
  v1::AuditEvent forged = events[1];
  forged.mutable_record()->set_action("nothing.happened");
  forged.set_hash(ComputeAuditHash(forged));
  MH_ASSERT_OK(store_->db().Exec("UPDATE audit_events SET action = $2, hash = $3 WHERE id = $1",
                                 {forged.id(), forged.record().action(), forged.hash()}));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.first_bad_id(), events[2].id());
  EXPECT_EQ(res.reason(), "prev_hash");
}

TEST_P(AuditChainTest, ARemovedRowIsReportedAtItsSuccessor) {
  const auto events = AppendMany("org_a", 4);
  MH_ASSERT_OK(store_->db().Exec("DELETE FROM audit_events WHERE id = $1", {events[1].id()}));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.first_bad_id(), events[2].id());
  EXPECT_EQ(res.reason(), "seq");
}

TEST_P(AuditChainTest, ARowMovedToAnotherOrganisationIsCaught) {
  const auto events = AppendMany("org_a", 2);
  AppendMany("org_b", 1);
  // Appended to org_b's chain as its seq 2 with org_b's head as prev: only the org_id changed.
  MH_ASSERT_OK(store_->db().Exec(
      "UPDATE audit_events SET org_id = 'org_b', seq = 2, prev_hash = (SELECT hash FROM "
      "audit_events WHERE org_id = 'org_b' AND seq = 1) WHERE id = $1",
      {events[1].id()}));
  const v1::VerifyChainResponse res = Verify("org_b");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.first_bad_id(), events[1].id());
}

TEST_P(AuditChainTest, RemovingTheNewestEventsIsCaughtByTheHead) {
  const auto events = AppendMany("org_a", 4);
  MH_ASSERT_OK(store_->db().Exec("DELETE FROM audit_events WHERE org_id = 'org_a' AND seq >= 3"));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.reason(), "head");
  EXPECT_EQ(res.first_bad_id(), "");
  EXPECT_EQ(res.count(), 2);
  // The next append links to the removed head, so the gap also shows in the chain itself.
  AppendMany("org_a", 1);
  EXPECT_EQ(Verify("org_a").reason(), "seq");
}

TEST_P(AuditChainTest, AnEventForgedPastTheHeadIsNamed) {
  const auto events = AppendMany("org_a", 2);
  v1::AuditEvent forged = events[1];
  forged.set_id("aud_forged");
  forged.set_seq(3);
  forged.set_prev_hash(events[1].hash());
  forged.mutable_record()->set_action("everything.fine");
  forged.set_hash(ComputeAuditHash(forged));
  const v1::AuditRecord& r = forged.record();
  MH_ASSERT_OK(store_->db().Exec(
      "INSERT INTO audit_events (id, org_id, seq, at_ms, actor_id, action, target_type, "
      "target_id, ip, user_agent, result, request_id, source_event_id, recorded_at_ms, "
      "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
      "$15, $16)",
      {forged.id(), r.org_id(), forged.seq(), r.at_ms(), r.actor_id(), r.action(), r.target_type(),
       r.target_id(), r.ip(), r.user_agent(), r.result(), r.request_id(), forged.source_event_id(),
       forged.recorded_at_ms(), forged.prev_hash(), forged.hash()}));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(res.reason(), "head");
  EXPECT_EQ(res.first_bad_id(), "aud_forged");
  EXPECT_EQ(res.count(), 2);
}

TEST_P(AuditChainTest, LongChainsVerifyAcrossPages) {
  AppendMany("org_a", 1203);
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_TRUE(res.ok());
  EXPECT_EQ(res.count(), 1203);
}

TEST_P(AuditChainTest, ConcurrentAppendersFromTwoProcessesNeverFork) {
  // Two independent handles (pools, writers) on the same data, as two processes would have.
  MH_ASSERT_OK_AND_ASSIGN(std::unique_ptr<sql::Database> other_db, store_->OpenAnother());
  AuditLog other(*other_db, clock_);
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? *log_ : other;
      for (int i = 0; i < kEach; ++i) {
        auto appended = log.Append(Record("org_a", "t" + std::to_string(t)), {});
        EXPECT_TRUE(appended.ok()) << appended.status().ToString();
        if (!appended.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_TRUE(res.ok()) << res.first_bad_id() << " " << res.reason();
  EXPECT_EQ(res.count(), kThreads * kEach);
}

TEST_P(AuditChainTest, TheConsumerAppendsEachEventOnce) {
  auto bus = events::MakeInProcessBus();
  MH_ASSERT_OK(SubscribeAuditConsumer(*bus, store_->db(), clock_));
  events::Event e;
  e.id = "evt_1";
  e.type = kAuditRecordEvent;
  e.tenant_id = "org_a";
  v1::AuditRecord record = Record("", "org.created");  // the tenant fills the organisation
  e.payload = record.SerializeAsString();
  MH_ASSERT_OK(bus->Publish(e));
  MH_ASSERT_OK(bus->Publish(e));  // redelivered
  e.id = "evt_2";
  MH_ASSERT_OK(bus->Publish(e));
  const v1::VerifyChainResponse res = Verify("org_a");
  EXPECT_TRUE(res.ok());
  EXPECT_EQ(res.count(), 2);
  v1::ListAuditEventsRequest list;
  list.set_org_id("org_a");
  auto listed = log_->ListEvents(list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items_size(), 2);
  EXPECT_EQ(listed->items(0).source_event_id(), "evt_2");
  EXPECT_EQ(listed->items(1).source_event_id(), "evt_1");

  e.id = "evt_bad";
  e.payload = std::string("\xff\xff", 2);
  EXPECT_EQ(bus->Publish(e).code(), StatusCode::kDataLoss);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return testing::BackendName(info.param);
                         });

}  // namespace
}  // namespace milkyhoop::audit
