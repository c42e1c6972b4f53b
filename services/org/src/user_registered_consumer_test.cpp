// The auth.user.registered consumer, through the in-process bus as the composition root wires it.

#include "user_registered_consumer.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "testing/test_database.hpp"

namespace milkyhoop::org {
namespace {

using testing::Backend;

class UserRegisteredConsumerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, testing::TestDatabase::Open(GetParam()));
    MH_ASSERT_OK(MigrateOrgDatabase(store_->db()));
    orgs_ = MakeOrgService(store_->db(), clock_);
    bus_ = events::MakeInProcessBus();
    MH_ASSERT_OK(SubscribeOrgConsumers(*bus_, store_->db(), clock_));
  }

  std::string CreateOrg(const std::string& owner) {
    v1::CreateOrgRequest req;
    req.set_name("Org of " + owner);
    req.mutable_audit()->set_actor_id(owner);
    auto res = orgs_->CreateOrg(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->org().id() : "";
  }

  void Invite(const std::string& org_id, const std::string& owner, const std::string& email) {
    v1::AddMemberRequest req;
    req.set_org_id(org_id);
    req.set_email(email);
    req.set_role("member");
    req.mutable_audit()->set_actor_id(owner);
    auto res = orgs_->AddMember(req);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    ASSERT_EQ(res->member().status(), "invited");
  }

  Status Publish(const std::string& id, const std::string& payload) {
    events::Event e;
    e.id = id;
    e.type = kUserRegisteredEvent;
    e.payload = payload;
    return bus_->Publish(e);
  }

  static std::string Registered(const std::string& user_id, const std::string& email) {
    v1::UserRegistered u;
    u.set_user_id(user_id);
    u.set_email(email);
    u.set_name("Someone");
    return u.SerializeAsString();
  }

  StatusCode RoleCheck(const std::string& user_id, const std::string& org_id) {
    v1::AuthorizeRequest req;
    req.mutable_principal()->set_kind("user");
    req.mutable_principal()->set_subject_id(user_id);
    req.set_org_id(org_id);
    req.set_permission("org:read");
    return orgs_->Authorize(req).status().code();
  }

  ManualClock clock_;
  std::unique_ptr<testing::TestDatabase> store_;
  std::unique_ptr<OrgService> orgs_;
  std::unique_ptr<events::EventBus> bus_;
};

TEST_P(UserRegisteredConsumerTest, InvitationsInEveryOrganisationBecomeMemberships) {
  const std::string a = CreateOrg("usr_a");
  const std::string b = CreateOrg("usr_b");
  Invite(a, "usr_a", "new@example.com");
  Invite(b, "usr_b", "New@Example.com");
  MH_ASSERT_OK(Publish("evt_1", Registered("usr_new", " NEW@example.com")));
  EXPECT_EQ(RoleCheck("usr_new", a), StatusCode::kOk);
  EXPECT_EQ(RoleCheck("usr_new", b), StatusCode::kOk);
}

TEST_P(UserRegisteredConsumerTest, DeletedOrganisationsDoNotGainMembers) {
  const std::string a = CreateOrg("usr_a");
  Invite(a, "usr_a", "new@example.com");
  v1::DeleteOrgRequest del;
  del.set_org_id(a);
  del.mutable_audit()->set_actor_id("usr_a");
  MH_ASSERT_OK(orgs_->DeleteOrg(del));
  MH_ASSERT_OK(Publish("evt_1", Registered("usr_new", "new@example.com")));
  EXPECT_EQ(RoleCheck("usr_new", a), StatusCode::kNotFound);
}

TEST_P(UserRegisteredConsumerTest, AnUnrelatedRegistrationChangesNothing) {
  const std::string a = CreateOrg("usr_a");
  Invite(a, "usr_a", "new@example.com");
  MH_ASSERT_OK(Publish("evt_1", Registered("usr_other", "other@example.com")));
  EXPECT_EQ(RoleCheck("usr_other", a), StatusCode::kNotFound);
  v1::ListMembersRequest list;
  list.set_org_id(a);
  auto members = orgs_->ListMembers(list);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->items_size(), 2);
}

TEST_P(UserRegisteredConsumerTest, BadPayloadsAreRefusedOrIgnored) {
  // Undecodable: an error, so the relay retries it and finally parks it where operators see it.
  EXPECT_EQ(Publish("evt_bad", std::string("\xff\xff\xff", 3)).code(), StatusCode::kDataLoss);
  // Decodable but empty: nothing to do.
  MH_EXPECT_OK(Publish("evt_empty", v1::UserRegistered().SerializeAsString()));
}

INSTANTIATE_TEST_SUITE_P(Backends, UserRegisteredConsumerTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return testing::BackendName(info.param);
                         });

}  // namespace
}  // namespace milkyhoop::org
