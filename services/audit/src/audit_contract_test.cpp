// Contract of AuditService, run against the implementation and against the implementation
// behind a real gRPC server and client, on SQLite and (with MILKYHOOP_TEST_PG_DSN) PostgreSQL.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "audit_hash.hpp"
#include "milkyhoop/audit/audit_factory.hpp"
#include "milkyhoop/audit/audit_grpc.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "testing/test_database.hpp"

namespace milkyhoop::audit {
namespace {

using testing::Backend;

enum class Transport { kInProcess, kGrpc };

struct GrpcLoopback : rpc::testing::GrpcLoopback<AuditService> {
  explicit GrpcLoopback(AuditService& impl)
      : rpc::testing::GrpcLoopback<AuditService>(
            impl, [](auto& i) { return MakeAuditGrpcService(i); },
            [](auto channel) { return MakeAuditGrpcClient(channel, std::chrono::seconds(10)); }) {}
};

using Param = std::tuple<Backend, Transport>;

class AuditContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, testing::TestDatabase::Open(std::get<0>(GetParam())));
    MH_ASSERT_OK(MigrateAuditDatabase(store_->db()));
    impl_ = MakeAuditService(store_->db(), clock_);
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(*impl_);
    }
  }
  void TearDown() override {
    loopback_.reset();
    impl_.reset();
    store_.reset();
  }

  AuditService& Audit() { return loopback_ ? loopback_->client() : *impl_; }

  v1::AuditEvent Append(const std::string& org, const std::string& action,
                        const std::string& actor = "usr_1", std::int64_t at_ms = 0,
                        const std::string& result = "success") {
    v1::AppendDirectRequest req;
    v1::AuditRecord& r = *req.mutable_record();
    r.set_org_id(org);
    r.set_action(action);
    r.set_actor_id(actor);
    r.set_target_type("member");
    r.set_target_id("usr_9");
    r.set_ip("198.51.100.4");
    r.set_user_agent("curl/8");
    r.set_result(result);
    r.set_at_ms(at_ms);
    r.set_request_id("req-" + action);
    auto res = Audit().AppendDirect(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->event() : v1::AuditEvent();
  }

  std::vector<v1::AuditEvent> List(v1::ListAuditEventsRequest req) {
    auto res = Audit().ListEvents(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? std::vector<v1::AuditEvent>(res->items().begin(), res->items().end())
                    : std::vector<v1::AuditEvent>();
  }

  v1::VerifyChainResponse Verify(const std::string& org) {
    v1::VerifyChainRequest req;
    req.set_org_id(org);
    auto res = Audit().VerifyChain(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : v1::VerifyChainResponse();
  }

  ManualClock clock_;
  std::unique_ptr<testing::TestDatabase> store_;
  std::unique_ptr<AuditService> impl_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

TEST_P(AuditContractTest, AppendsLinkIntoAChainPerOrganisation) {
  const v1::AuditEvent a1 = Append("org_a", "org.created");
  const v1::AuditEvent a2 = Append("org_a", "member.added");
  const v1::AuditEvent b1 = Append("org_b", "org.created");
  EXPECT_EQ(a1.seq(), 1);
  EXPECT_EQ(a2.seq(), 2);
  EXPECT_EQ(b1.seq(), 1);
  EXPECT_EQ(a1.prev_hash(), kGenesisHash);
  EXPECT_EQ(a2.prev_hash(), a1.hash());
  EXPECT_EQ(b1.prev_hash(), kGenesisHash);
  EXPECT_EQ(a1.hash(), ComputeAuditHash(a1));
  EXPECT_EQ(a1.hash().size(), 64u);
  EXPECT_TRUE(a1.id().starts_with("aud_"));
  EXPECT_EQ(a1.record().at_ms(), clock_.NowUnixMillis());
  EXPECT_EQ(a1.recorded_at_ms(), clock_.NowUnixMillis());
  EXPECT_EQ(a1.record().user_agent(), "curl/8");
  EXPECT_EQ(a1.source_event_id(), "");

  const v1::VerifyChainResponse ok = Verify("org_a");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.count(), 2);
  EXPECT_EQ(ok.head_hash(), a2.hash());
  EXPECT_EQ(ok.first_bad_id(), "");

  const v1::VerifyChainResponse empty = Verify("org_none");
  EXPECT_TRUE(empty.ok());
  EXPECT_EQ(empty.count(), 0);
  EXPECT_EQ(empty.head_hash(), "");
}

TEST_P(AuditContractTest, ListIsNewestFirstFilteredAndPaged) {
  const std::int64_t t0 = clock_.NowUnixMillis();
  Append("org_a", "org.created", "usr_1", t0);
  Append("org_a", "member.added", "usr_1", t0 + 1000);
  Append("org_a", "member.added", "usr_2", t0 + 2000);
  Append("org_a", "apikey.created", "usr_2", t0 + 3000, "failure");
  Append("org_b", "member.added", "usr_1", t0 + 1000);

  v1::ListAuditEventsRequest req;
  req.set_org_id("org_a");
  std::vector<v1::AuditEvent> all = List(req);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].seq(), 4);
  EXPECT_EQ(all[3].seq(), 1);
  EXPECT_EQ(all[0].record().result(), "failure");

  req.set_action("member.added");
  EXPECT_EQ(List(req).size(), 2u);
  req.set_actor_id("usr_2");
  ASSERT_EQ(List(req).size(), 1u);
  EXPECT_EQ(List(req)[0].seq(), 3);

  v1::ListAuditEventsRequest window;
  window.set_org_id("org_a");
  window.set_from_ms(t0 + 1000);
  window.set_to_ms(t0 + 3000);
  std::vector<v1::AuditEvent> in_window = List(window);
  ASSERT_EQ(in_window.size(), 2u);
  EXPECT_EQ(in_window[0].seq(), 3);
  EXPECT_EQ(in_window[1].seq(), 2);

  v1::ListAuditEventsRequest paged;
  paged.set_org_id("org_a");
  paged.set_limit(3);
  auto page1 = Audit().ListEvents(paged);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->items_size(), 3);
  ASSERT_FALSE(page1->next_cursor().empty());
  paged.set_cursor(page1->next_cursor());
  auto page2 = Audit().ListEvents(paged);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->items_size(), 1);
  EXPECT_EQ(page2->items(0).seq(), 1);
  EXPECT_TRUE(page2->next_cursor().empty());
}

TEST_P(AuditContractTest, BadRequestsNameTheirField) {
  auto field_of = [](const Status& s) {
    return s.field_errors().empty() ? std::string() : s.field_errors()[0].field;
  };
  v1::ListAuditEventsRequest req;
  EXPECT_EQ(field_of(Audit().ListEvents(req).status()), "org_id");
  req.set_org_id("org_a");
  req.set_limit(201);
  EXPECT_EQ(field_of(Audit().ListEvents(req).status()), "limit");
  req.set_limit(-3);
  EXPECT_EQ(field_of(Audit().ListEvents(req).status()), "limit");
  req.set_limit(10);
  req.set_cursor("abc");
  EXPECT_EQ(field_of(Audit().ListEvents(req).status()), "cursor");
  req.clear_cursor();
  req.set_from_ms(2000);
  req.set_to_ms(1000);
  EXPECT_EQ(field_of(Audit().ListEvents(req).status()), "to");

  v1::AppendDirectRequest append;
  append.mutable_record()->set_org_id("org_a");
  append.mutable_record()->set_action("x.done");
  append.mutable_record()->set_result("perhaps");
  auto refused = Audit().AppendDirect(append);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(field_of(refused.status()), "record.result");
  v1::VerifyChainRequest verify;
  EXPECT_EQ(Audit().VerifyChain(verify).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(All, AuditContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::Values(Transport::kInProcess,
                                                              Transport::kGrpc)),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return testing::BackendName(std::get<0>(info.param)) +
                                  (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc"
                                                                               : "_InProcess");
                         });

}  // namespace
}  // namespace milkyhoop::audit
