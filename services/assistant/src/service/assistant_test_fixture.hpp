#pragma once
// The contract suites' fixture: the assistant over its own database, acting through the real
// business service (in-process) on its own database, reached in-process or over real gRPC, on
// SQLite and (with MILKYHOOP_TEST_PG_DSN) PostgreSQL; an injected clock.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <tuple>

#include "milkyhoop/assistant/assistant_factory.hpp"
#include "milkyhoop/assistant/assistant_grpc.hpp"
#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::assistant::testing {

using sqltest::Backend;
enum class Transport { kInProcess, kGrpc };
using Param = std::tuple<Backend, Transport>;

inline std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return sqltest::BackendName(std::get<0>(info.param)) +
         (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc" : "_InProcess");
}

struct GrpcLoopback : rpc::testing::GrpcLoopback<AssistantService> {
  explicit GrpcLoopback(AssistantService& impl)
      : rpc::testing::GrpcLoopback<AssistantService>(
            impl, [](auto& i) { return MakeAssistantGrpcService(i); },
            [](auto channel) {
              return MakeAssistantGrpcClient(channel, std::chrono::seconds(20));
            }) {}
};

// 2024-05-15T03:00:00Z: Wednesday 10:00 in Jakarta.
inline constexpr std::int64_t kStartMs = 1'715'742'000'000;

class AssistantTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    const Backend backend = std::get<0>(GetParam());
    MH_ASSERT_OK_AND_ASSIGN(business_db_, sqltest::TestDatabase::Open(backend, "mh_test_biz_"));
    MH_ASSERT_OK_AND_ASSIGN(assistant_db_, sqltest::TestDatabase::Open(backend, "mh_test_asst_"));
    MH_ASSERT_OK_AND_ASSIGN(org_db_, sqltest::TestDatabase::Open(backend, "mh_test_org_"));
    MH_ASSERT_OK_AND_ASSIGN(rag_db_, sqltest::TestDatabase::Open(backend, "mh_test_rag_"));
    MH_ASSERT_OK(business::MigrateBusinessDatabase(business_db_->db()));
    MH_ASSERT_OK(MigrateAssistantDatabase(assistant_db_->db()));
    MH_ASSERT_OK(org::MigrateOrgDatabase(org_db_->db()));
    MH_ASSERT_OK(rag::MigrateRagDatabase(rag_db_->db()));
    security_ = security::MakeSecurityService(crypto::KeyRing::Generate());
    businesses_ = business::MakeBusinessService(business_db_->db(), *security_, clock_);
    orgs_ = org::MakeOrgService(org_db_->db(), clock_);
    rag_ = rag::MakeRagService(rag_db_->db(), clock_);
    rag_->Start();
    impl_ = MakeAssistantService(assistant_db_->db(),
                                 AssistantDeps{*businesses_, *orgs_, rag_->service()}, clock_,
                                 AssistantOptions{.intent_fallback = intent_fallback_});
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(*impl_);
    }
  }

  void TearDown() override {
    loopback_.reset();
    impl_.reset();
    if (rag_) rag_->Stop();
    rag_.reset();
    orgs_.reset();
    businesses_.reset();
  }

  AssistantService& Svc() { return loopback_ ? loopback_->client() : *impl_; }

  ManualClock clock_{ManualClock::TimePoint(std::chrono::milliseconds(kStartMs))};
  std::unique_ptr<sqltest::TestDatabase> business_db_, assistant_db_, org_db_, rag_db_;
  std::unique_ptr<security::SecurityService> security_;
  std::unique_ptr<business::BusinessService> businesses_;
  std::unique_ptr<org::OrgService> orgs_;
  std::unique_ptr<rag::RagServiceHost> rag_;
  std::unique_ptr<AssistantService> impl_;
  std::unique_ptr<GrpcLoopback> loopback_;
  // The intent cascade's LLM step; a subclass sets it before SetUp to test that step.
  const IntentFallback* intent_fallback_ = nullptr;
};

}  // namespace milkyhoop::assistant::testing
