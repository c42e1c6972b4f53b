// Contract of OrgService, run against every way a caller can hold one (the implementation, and
// the implementation behind a real gRPC server and client) on every backend (SQLite, and
// PostgreSQL when MILKYHOOP_TEST_PG_DSN is set).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/org/org_grpc.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/test_database.hpp"
#include "user_registered_consumer.hpp"

namespace milkyhoop::org {
namespace {

using testing::Backend;
using testing::TestDatabase;

enum class Transport { kInProcess, kGrpc };

// An OrgService served by a real gRPC server on 127.0.0.1:0 and reached through a client.
struct GrpcLoopback : rpc::testing::GrpcLoopback<OrgService> {
  explicit GrpcLoopback(OrgService& impl)
      : rpc::testing::GrpcLoopback<OrgService>(
            impl, [](auto& i) { return MakeOrgGrpcService(i); },
            [](auto channel) { return MakeOrgGrpcClient(channel, std::chrono::seconds(10)); }) {}
};

using Param = std::tuple<Backend, Transport>;

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return testing::BackendName(std::get<0>(info.param)) +
         (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc" : "_InProcess");
}

v1::AuditContext Actor(const std::string& user_id) {
  v1::AuditContext a;
  a.set_actor_id(user_id);
  a.set_ip("203.0.113.7");
  a.set_user_agent("contract-test/1.0");
  a.set_request_id("req-" + user_id);
  return a;
}

v1::Principal UserPrincipal(const std::string& user_id) {
  v1::Principal p;
  p.set_kind("user");
  p.set_subject_id(user_id);
  return p;
}

class OrgContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && testing::TestPgDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, TestDatabase::Open(std::get<0>(GetParam())));
    MH_ASSERT_OK(MigrateOrgDatabase(store_->db()));
    impl_ = MakeOrgService(store_->db(), clock_);
    consumer_ = std::make_unique<UserRegisteredConsumer>(store_->db(), clock_);
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(*impl_);
    }
  }

  void TearDown() override {
    loopback_.reset();
    impl_.reset();
    store_.reset();
  }

  // What a caller holds: the implementation or the gRPC client.
  OrgService& Orgs() { return loopback_ ? loopback_->client() : *impl_; }

  v1::Org CreateOrg(const std::string& name, const std::string& owner) {
    v1::CreateOrgRequest req;
    req.set_name(name);
    *req.mutable_audit() = Actor(owner);
    auto res = Orgs().CreateOrg(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->org() : v1::Org();
  }

  Result<v1::AddMemberResponse> AddMember(const std::string& org_id, const std::string& actor,
                                          const std::string& email, const std::string& role,
                                          const std::string& user_id = "",
                                          const std::string& name = "") {
    v1::AddMemberRequest req;
    req.set_org_id(org_id);
    req.set_email(email);
    req.set_role(role);
    if (!user_id.empty()) {
      req.mutable_user()->set_user_id(user_id);
      req.mutable_user()->set_email(email);
      req.mutable_user()->set_name(name);
    }
    *req.mutable_audit() = Actor(actor);
    return Orgs().AddMember(req);
  }

  // Adds user_id (email "<user_id>@example.com") with `role`, by `owner`.
  void AddUser(const std::string& org_id, const std::string& owner, const std::string& user_id,
               const std::string& role) {
    auto res = AddMember(org_id, owner, user_id + "@example.com", role, user_id, "Name " + user_id);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
  }

  Result<v1::ChangeRoleResponse> ChangeRole(const std::string& org_id, const std::string& actor,
                                            const std::string& member_id, const std::string& role) {
    v1::ChangeRoleRequest req;
    req.set_org_id(org_id);
    req.set_member_id(member_id);
    req.set_role(role);
    *req.mutable_audit() = Actor(actor);
    return Orgs().ChangeRole(req);
  }

  Result<v1::RemoveMemberResponse> RemoveMember(const std::string& org_id, const std::string& actor,
                                                const std::string& member_id) {
    v1::RemoveMemberRequest req;
    req.set_org_id(org_id);
    req.set_member_id(member_id);
    *req.mutable_audit() = Actor(actor);
    return Orgs().RemoveMember(req);
  }

  Result<v1::AuthorizeResponse> AuthorizeUser(const std::string& user_id, const std::string& org_id,
                                              std::string_view permission) {
    v1::AuthorizeRequest req;
    *req.mutable_principal() = UserPrincipal(user_id);
    req.set_org_id(org_id);
    req.set_permission(std::string(permission));
    return Orgs().Authorize(req);
  }

  Result<v1::CreateApiKeyResponse> CreateKey(const std::string& org_id, const std::string& actor,
                                             std::vector<std::string> scopes,
                                             const std::string& business_id = "") {
    v1::CreateApiKeyRequest req;
    req.set_org_id(org_id);
    req.set_name("pos terminal");
    for (auto& s : scopes) req.add_scopes(s);
    req.set_business_id(business_id);
    *req.mutable_audit() = Actor(actor);
    return Orgs().CreateApiKey(req);
  }

  Result<v1::VerifyApiKeyResponse> Verify(const std::string& secret) {
    v1::VerifyApiKeyRequest req;
    req.set_secret(secret);
    return Orgs().VerifyApiKey(req);
  }

  std::vector<v1::Member> Members(const std::string& org_id) {
    v1::ListMembersRequest req;
    req.set_org_id(org_id);
    req.set_limit(200);
    auto res = Orgs().ListMembers(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? std::vector<v1::Member>(res->items().begin(), res->items().end())
                    : std::vector<v1::Member>();
  }

  std::vector<sql::OutboxEvent> Outbox(const std::string& type) {
    auto events = sql::FetchUnsentOutbox(store_->db(), 10000);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    std::vector<sql::OutboxEvent> out;
    if (!events.ok()) return out;
    for (auto& e : *events) {
      if (e.type == type) out.push_back(std::move(e));
    }
    return out;
  }

  std::vector<audit::v1::AuditRecord> AuditRecords(const std::string& org_id) {
    std::vector<audit::v1::AuditRecord> out;
    for (const auto& e : Outbox(kAuditRecordEvent)) {
      audit::v1::AuditRecord r;
      EXPECT_TRUE(r.ParseFromString(e.payload));
      EXPECT_EQ(e.tenant_id, r.org_id());
      if (r.org_id() == org_id) out.push_back(std::move(r));
    }
    return out;
  }

  // The newest audit record of org_id with `action`; empty when there is none.
  audit::v1::AuditRecord LastAudit(const std::string& org_id, const std::string& action) {
    audit::v1::AuditRecord found;
    for (auto& r : AuditRecords(org_id)) {
      if (r.action() == action) found = r;
    }
    return found;
  }

  Status Register(const std::string& event_id, const std::string& user_id, const std::string& email,
                  const std::string& name) {
    v1::UserRegistered user;
    user.set_user_id(user_id);
    user.set_email(email);
    user.set_name(name);
    events::Event event;
    event.id = event_id;
    event.type = kUserRegisteredEvent;
    event.payload = user.SerializeAsString();
    return consumer_->Handle(event);
  }

  ManualClock clock_;
  std::unique_ptr<TestDatabase> store_;
  std::unique_ptr<OrgService> impl_;
  std::unique_ptr<UserRegisteredConsumer> consumer_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

// ---------------------------------------------------------------------------------------------
// Organisations

TEST_P(OrgContractTest, CreatorIsOwnerAndSlugsAreUnique) {
  v1::CreateOrgRequest req;
  req.set_name("  Warung Bu Sri ");
  *req.mutable_audit() = Actor("usr_a");
  auto first = Orgs().CreateOrg(req);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->role(), "owner");
  EXPECT_EQ(first->org().name(), "Warung Bu Sri");
  EXPECT_EQ(first->org().slug(), "warung-bu-sri");
  EXPECT_EQ(first->org().created_by(), "usr_a");
  EXPECT_TRUE(first->org().id().starts_with("org_"));
  EXPECT_EQ(first->org().created_at_ms(), clock_.NowUnixMillis());

  const v1::Org second = CreateOrg("Warung bu SRI", "usr_b");
  EXPECT_EQ(second.slug(), "warung-bu-sri-2");
  EXPECT_EQ(CreateOrg("warung-bu-sri", "usr_c").slug(), "warung-bu-sri-3");

  v1::GetOrgRequest get;
  get.set_org_id(first->org().id());
  auto got = Orgs().GetOrg(get);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->org().SerializeAsString(), first->org().SerializeAsString());

  const std::vector<v1::Member> members = Members(first->org().id());
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].user_id(), "usr_a");
  EXPECT_EQ(members[0].role(), "owner");
  EXPECT_EQ(members[0].status(), "active");
}

TEST_P(OrgContractTest, CreateValidatesTheName) {
  for (const std::string& bad : {std::string(""), std::string("   "), std::string(101, 'x')}) {
    v1::CreateOrgRequest req;
    req.set_name(bad);
    *req.mutable_audit() = Actor("usr_a");
    auto res = Orgs().CreateOrg(req);
    ASSERT_EQ(res.status().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(res.status().field_errors().size(), 1u);
    EXPECT_EQ(res.status().field_errors()[0].field, "name");
  }
  v1::CreateOrgRequest no_actor;
  no_actor.set_name("ok");
  MH_EXPECT_CODE(Orgs().CreateOrg(no_actor), StatusCode::kInvalidArgument);
}

TEST_P(OrgContractTest, CreateAppendsAuditRecordAndEventInTheSameCommit) {
  const v1::Org org = CreateOrg("Laundry Kilat", "usr_a");
  const audit::v1::AuditRecord rec = LastAudit(org.id(), "org.created");
  EXPECT_EQ(rec.actor_id(), "usr_a");
  EXPECT_EQ(rec.target_type(), "org");
  EXPECT_EQ(rec.target_id(), org.id());
  EXPECT_EQ(rec.ip(), "203.0.113.7");
  EXPECT_EQ(rec.user_agent(), "contract-test/1.0");
  EXPECT_EQ(rec.request_id(), "req-usr_a");
  EXPECT_EQ(rec.result(), "success");
  EXPECT_EQ(rec.at_ms(), clock_.NowUnixMillis());

  const auto created = Outbox(kOrgCreatedEvent);
  ASSERT_EQ(created.size(), 1u);
  v1::OrgCreated payload;
  ASSERT_TRUE(payload.ParseFromString(created[0].payload));
  EXPECT_EQ(payload.org_id(), org.id());
  EXPECT_EQ(payload.slug(), org.slug());
  EXPECT_EQ(payload.owner_user_id(), "usr_a");
  EXPECT_EQ(created[0].tenant_id, org.id());
}

TEST_P(OrgContractTest, ListOrgsShowsTheCallersOrganisationsPageByPage) {
  const v1::Org a = CreateOrg("A", "usr_a");
  const v1::Org b = CreateOrg("B", "usr_a");
  const v1::Org c = CreateOrg("C", "usr_b");
  AddUser(c.id(), "usr_b", "usr_a", "viewer");

  v1::ListOrgsRequest req;
  req.set_user_id("usr_a");
  req.set_limit(2);
  auto page1 = Orgs().ListOrgs(req);
  ASSERT_TRUE(page1.ok()) << page1.status().ToString();
  ASSERT_EQ(page1->items_size(), 2);
  ASSERT_FALSE(page1->next_cursor().empty());
  req.set_cursor(page1->next_cursor());
  auto page2 = Orgs().ListOrgs(req);
  ASSERT_TRUE(page2.ok()) << page2.status().ToString();
  ASSERT_EQ(page2->items_size(), 1);
  EXPECT_TRUE(page2->next_cursor().empty());

  std::map<std::string, std::string> roles;
  for (const auto* page : {&*page1, &*page2}) {
    for (const auto& item : page->items()) roles[item.org().id()] = item.role();
  }
  EXPECT_EQ(roles, (std::map<std::string, std::string>{
                       {a.id(), "owner"}, {b.id(), "owner"}, {c.id(), "viewer"}}));

  v1::ListOrgsRequest stranger;
  stranger.set_user_id("usr_nobody");
  auto none = Orgs().ListOrgs(stranger);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->items_size(), 0);

  req.set_limit(201);
  MH_EXPECT_CODE(Orgs().ListOrgs(req), StatusCode::kInvalidArgument);
  req.set_limit(10);
  req.set_cursor("not a cursor!");
  MH_EXPECT_CODE(Orgs().ListOrgs(req), StatusCode::kInvalidArgument);
}

TEST_P(OrgContractTest, RenameNeedsOrgUpdateAndKeepsTheSlug) {
  const v1::Org org = CreateOrg("Toko Lama", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_viewer", "viewer");

  v1::RenameOrgRequest req;
  req.set_org_id(org.id());
  req.set_name("Toko Baru");
  *req.mutable_audit() = Actor("usr_viewer");
  MH_EXPECT_CODE(Orgs().RenameOrg(req), StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAudit(org.id(), "org.renamed").result(), "failure");

  *req.mutable_audit() = Actor("usr_stranger");
  MH_EXPECT_CODE(Orgs().RenameOrg(req), StatusCode::kNotFound);

  *req.mutable_audit() = Actor("usr_owner");
  auto renamed = Orgs().RenameOrg(req);
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->org().name(), "Toko Baru");
  EXPECT_EQ(renamed->org().slug(), "toko-lama");
  EXPECT_EQ(LastAudit(org.id(), "org.renamed").result(), "success");

  req.set_name("");
  MH_EXPECT_CODE(Orgs().RenameOrg(req), StatusCode::kInvalidArgument);
}

TEST_P(OrgContractTest, DeleteIsForOwnersAndMakesTheOrganisationVanish) {
  const v1::Org org = CreateOrg("Bakery", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  auto key = CreateKey(org.id(), "usr_owner", {"business:read"});
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  MH_ASSERT_OK(Verify(key->secret()));

  v1::DeleteOrgRequest req;
  req.set_org_id(org.id());
  *req.mutable_audit() = Actor("usr_admin");
  MH_EXPECT_CODE(Orgs().DeleteOrg(req), StatusCode::kPermissionDenied);
  *req.mutable_audit() = Actor("usr_owner");
  MH_ASSERT_OK(Orgs().DeleteOrg(req));

  v1::GetOrgRequest get;
  get.set_org_id(org.id());
  MH_EXPECT_CODE(Orgs().GetOrg(get), StatusCode::kNotFound);
  MH_EXPECT_CODE(AuthorizeUser("usr_owner", org.id(), perm::kOrgRead), StatusCode::kNotFound);
  MH_EXPECT_CODE(Verify(key->secret()), StatusCode::kUnauthenticated);
  v1::ListOrgsRequest list;
  list.set_user_id("usr_owner");
  auto orgs = Orgs().ListOrgs(list);
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(orgs->items_size(), 0);
  MH_EXPECT_CODE(Orgs().DeleteOrg(req), StatusCode::kNotFound);

  ASSERT_EQ(Outbox(kOrgDeletedEvent).size(), 1u);
  EXPECT_EQ(LastAudit(org.id(), "org.deleted").result(), "success");
  // The slug stays taken.
  EXPECT_EQ(CreateOrg("Bakery", "usr_owner").slug(), "bakery-2");
}

// ---------------------------------------------------------------------------------------------
// Members and invitations

TEST_P(OrgContractTest, AddingAKnownUserMakesAnActiveMember) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  auto added = AddMember(org.id(), "usr_owner", "Dewi@Example.com", "member", "usr_dewi", "Dewi");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->member().user_id(), "usr_dewi");
  EXPECT_EQ(added->member().email(), "dewi@example.com");
  EXPECT_EQ(added->member().name(), "Dewi");
  EXPECT_EQ(added->member().role(), "member");
  EXPECT_EQ(added->member().status(), "active");
  EXPECT_EQ(LastAudit(org.id(), "member.added").target_id(), "usr_dewi");

  MH_EXPECT_CODE(AddMember(org.id(), "usr_owner", "dewi@example.com", "viewer", "usr_dewi"),
                 StatusCode::kAlreadyExists);
  MH_ASSERT_OK(AuthorizeUser("usr_dewi", org.id(), perm::kBusinessWrite));
}

TEST_P(OrgContractTest, AMembersRefusedActionIsAuditedAStrangersIsNot) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  MH_ASSERT_OK(AddMember(org.id(), "usr_owner", "dewi@example.com", "viewer", "usr_dewi"));
  v1::AuthorizeRequest req;
  *req.mutable_principal() = UserPrincipal("usr_dewi");
  req.set_org_id(org.id());
  req.set_permission(std::string(perm::kBusinessWrite));
  req.mutable_audit()->set_ip("203.0.113.7");
  req.mutable_audit()->set_request_id("req_1");
  MH_EXPECT_CODE(Orgs().Authorize(req), StatusCode::kPermissionDenied);
  const audit::v1::AuditRecord denied = LastAudit(org.id(), "access.denied");
  EXPECT_EQ(denied.actor_id(), "usr_dewi");
  EXPECT_EQ(denied.target_type(), "permission");
  EXPECT_EQ(denied.target_id(), perm::kBusinessWrite);
  EXPECT_EQ(denied.result(), "failure");
  EXPECT_EQ(denied.ip(), "203.0.113.7");
  EXPECT_EQ(denied.request_id(), "req_1");

  // An allowed action and a stranger's attempt leave no such record.
  const std::size_t records = AuditRecords(org.id()).size();
  MH_ASSERT_OK(AuthorizeUser("usr_dewi", org.id(), perm::kBusinessRead));
  MH_EXPECT_CODE(AuthorizeUser("usr_stranger", org.id(), perm::kBusinessWrite),
                 StatusCode::kNotFound);
  EXPECT_EQ(AuditRecords(org.id()).size(), records);
}

TEST_P(OrgContractTest, AddingAnUnknownAddressInvitesItUntilItRegisters) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  auto invited = AddMember(org.id(), "usr_owner", " Budi@Example.COM ", "admin");
  ASSERT_TRUE(invited.ok()) << invited.status().ToString();
  EXPECT_EQ(invited->member().status(), "invited");
  EXPECT_EQ(invited->member().user_id(), "");
  EXPECT_EQ(invited->member().email(), "budi@example.com");
  EXPECT_TRUE(invited->member().id().starts_with("mem_"));
  EXPECT_EQ(LastAudit(org.id(), "member.invited").target_id(), invited->member().id());
  MH_EXPECT_CODE(AddMember(org.id(), "usr_owner", "budi@example.com", "member"),
                 StatusCode::kAlreadyExists);
  MH_EXPECT_CODE(AuthorizeUser("usr_budi", org.id(), perm::kOrgRead), StatusCode::kNotFound);

  MH_ASSERT_OK(Register("evt_1", "usr_budi", "BUDI@example.com", "Budi"));
  MH_ASSERT_OK(Register("evt_1", "usr_budi", "BUDI@example.com", "Budi"));  // redelivered
  const std::vector<v1::Member> members = Members(org.id());
  ASSERT_EQ(members.size(), 2u);
  const v1::Member& budi = members[0].user_id() == "usr_budi" ? members[0] : members[1];
  EXPECT_EQ(budi.user_id(), "usr_budi");
  EXPECT_EQ(budi.status(), "active");
  EXPECT_EQ(budi.role(), "admin");
  EXPECT_EQ(budi.email(), "budi@example.com");
  EXPECT_EQ(budi.name(), "Budi");
  auto role = AuthorizeUser("usr_budi", org.id(), perm::kMembersManage);
  ASSERT_TRUE(role.ok()) << role.status().ToString();
  EXPECT_EQ(role->role(), "admin");

  int joined = 0;
  for (const auto& r : AuditRecords(org.id())) joined += r.action() == "member.joined";
  EXPECT_EQ(joined, 1) << "a redelivered event must not join twice";

  // Once registered, the address is known: adding it again is a direct add, and a conflict.
  MH_EXPECT_CODE(AddMember(org.id(), "usr_owner", "budi@example.com", "member"),
                 StatusCode::kAlreadyExists);
  const v1::Org other = CreateOrg("Other", "usr_owner");
  auto direct = AddMember(other.id(), "usr_owner", "budi@example.com", "viewer");
  ASSERT_TRUE(direct.ok()) << direct.status().ToString();
  EXPECT_EQ(direct->member().status(), "active");
  EXPECT_EQ(direct->member().user_id(), "usr_budi");
}

TEST_P(OrgContractTest, AddMemberChecksInputAndTheActorsRole) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  AddUser(org.id(), "usr_owner", "usr_member", "member");

  auto bad_email = AddMember(org.id(), "usr_owner", "not-an-email", "member");
  ASSERT_EQ(bad_email.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_email.status().field_errors().at(0).field, "email");
  auto bad_role = AddMember(org.id(), "usr_owner", "x@example.com", "king");
  ASSERT_EQ(bad_role.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_role.status().field_errors().at(0).field, "role");

  MH_EXPECT_CODE(AddMember(org.id(), "usr_member", "x@example.com", "viewer"),
                 StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(AddMember(org.id(), "usr_admin", "x@example.com", "owner"),
                 StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(AddMember(org.id(), "usr_stranger", "x@example.com", "viewer"),
                 StatusCode::kNotFound);
  MH_ASSERT_OK(AddMember(org.id(), "usr_admin", "x@example.com", "admin"));
  MH_ASSERT_OK(AddMember(org.id(), "usr_owner", "y@example.com", "owner"));
}

TEST_P(OrgContractTest, ListMembersPaginates) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  for (int i = 0; i < 4; ++i) {
    MH_ASSERT_OK(
        AddMember(org.id(), "usr_owner", "u" + std::to_string(i) + "@example.com", "viewer"));
  }
  v1::ListMembersRequest req;
  req.set_org_id(org.id());
  req.set_limit(2);
  std::vector<std::string> ids;
  for (int page = 0; page < 5; ++page) {
    auto res = Orgs().ListMembers(req);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    for (const auto& m : res->items()) ids.push_back(m.id());
    if (res->next_cursor().empty()) break;
    req.set_cursor(res->next_cursor());
  }
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  v1::ListMembersRequest missing;
  missing.set_org_id("org_missing");
  MH_EXPECT_CODE(Orgs().ListMembers(missing), StatusCode::kNotFound);
}

TEST_P(OrgContractTest, RolesChangeButTheLastOwnerStays) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  AddUser(org.id(), "usr_owner", "usr_member", "member");

  auto promoted = ChangeRole(org.id(), "usr_owner", "usr_member", "admin");
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(promoted->member().role(), "admin");
  EXPECT_EQ(LastAudit(org.id(), "member.role_changed").target_id(), "usr_member");

  MH_EXPECT_CODE(ChangeRole(org.id(), "usr_owner", "usr_owner", "admin"),
                 StatusCode::kFailedPrecondition);
  const audit::v1::AuditRecord refused = LastAudit(org.id(), "member.role_changed");
  EXPECT_EQ(refused.result(), "failure");
  EXPECT_EQ(refused.target_id(), "usr_owner");

  MH_EXPECT_CODE(ChangeRole(org.id(), "usr_admin", "usr_owner", "viewer"),
                 StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(ChangeRole(org.id(), "usr_admin", "usr_member", "owner"),
                 StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(ChangeRole(org.id(), "usr_owner", "usr_nobody", "viewer"), StatusCode::kNotFound);
  MH_EXPECT_CODE(ChangeRole(org.id(), "usr_owner", "usr_member", "emperor"),
                 StatusCode::kInvalidArgument);

  // With a second owner, the first may step down.
  MH_ASSERT_OK(ChangeRole(org.id(), "usr_owner", "usr_admin", "owner"));
  MH_ASSERT_OK(ChangeRole(org.id(), "usr_admin", "usr_owner", "viewer"));
  MH_EXPECT_CODE(AuthorizeUser("usr_owner", org.id(), perm::kOrgUpdate),
                 StatusCode::kPermissionDenied);
}

TEST_P(OrgContractTest, RemovingAndLeaving) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  AddUser(org.id(), "usr_owner", "usr_member", "member");
  AddUser(org.id(), "usr_owner", "usr_viewer", "viewer");
  auto invitation = AddMember(org.id(), "usr_owner", "later@example.com", "viewer");
  ASSERT_TRUE(invitation.ok());

  MH_EXPECT_CODE(RemoveMember(org.id(), "usr_owner", "usr_owner"), StatusCode::kFailedPrecondition);
  MH_EXPECT_CODE(RemoveMember(org.id(), "usr_admin", "usr_owner"), StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(RemoveMember(org.id(), "usr_viewer", "usr_member"), StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAudit(org.id(), "member.removed").result(), "failure");

  MH_ASSERT_OK(RemoveMember(org.id(), "usr_viewer", "usr_viewer"));  // leaving needs no role
  EXPECT_EQ(LastAudit(org.id(), "member.left").target_id(), "usr_viewer");
  MH_ASSERT_OK(RemoveMember(org.id(), "usr_admin", "usr_member"));
  MH_ASSERT_OK(RemoveMember(org.id(), "usr_admin", invitation->member().id()));
  EXPECT_EQ(LastAudit(org.id(), "invitation.cancelled").target_id(), invitation->member().id());
  MH_EXPECT_CODE(RemoveMember(org.id(), "usr_admin", "usr_member"), StatusCode::kNotFound);
  MH_EXPECT_CODE(AuthorizeUser("usr_member", org.id(), perm::kOrgRead), StatusCode::kNotFound);

  const auto removed = Outbox(kMemberRemovedEvent);
  ASSERT_EQ(removed.size(), 2u);  // the viewer and the member; not the invitation
  v1::MemberRemoved payload;
  ASSERT_TRUE(payload.ParseFromString(removed[1].payload));
  EXPECT_EQ(payload.user_id(), "usr_member");

  std::set<std::string> left;
  for (const auto& m : Members(org.id())) left.insert(m.user_id());
  EXPECT_EQ(left, (std::set<std::string>{"usr_owner", "usr_admin"}));
}

TEST_P(OrgContractTest, ConcurrentDemotionsLeaveAnOwner) {
  const v1::Org org = CreateOrg("Kiosk", "usr_a");
  AddUser(org.id(), "usr_a", "usr_b", "owner");
  // Each owner demotes the other at the same time: one must lose.
  std::atomic<int> ok{0}, refused{0};
  std::thread t1([&] {
    auto r = ChangeRole(org.id(), "usr_a", "usr_b", "admin");
    (r.ok() ? ok : refused)++;
  });
  std::thread t2([&] {
    auto r = ChangeRole(org.id(), "usr_b", "usr_a", "admin");
    (r.ok() ? ok : refused)++;
  });
  t1.join();
  t2.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 1);
  int owners = 0;
  for (const auto& m : Members(org.id())) owners += m.role() == "owner";
  EXPECT_EQ(owners, 1);
}

TEST_P(OrgContractTest, OneOrganisationsMembersAreInvisibleFromAnother) {
  const v1::Org a = CreateOrg("A", "usr_a");
  const v1::Org b = CreateOrg("B", "usr_b");
  AddUser(a.id(), "usr_a", "usr_x", "member");
  // usr_b owns B and may manage its members, but usr_x lives in A.
  MH_EXPECT_CODE(ChangeRole(b.id(), "usr_b", "usr_x", "viewer"), StatusCode::kNotFound);
  MH_EXPECT_CODE(RemoveMember(b.id(), "usr_b", "usr_x"), StatusCode::kNotFound);
  // And B's owner is nobody in A.
  MH_EXPECT_CODE(ChangeRole(a.id(), "usr_b", "usr_x", "viewer"), StatusCode::kNotFound);
  MH_EXPECT_CODE(AuthorizeUser("usr_b", a.id(), perm::kOrgRead), StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Authorize

TEST_P(OrgContractTest, AuthorizeUsersByRole) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  AddUser(org.id(), "usr_owner", "usr_member", "member");
  AddUser(org.id(), "usr_owner", "usr_viewer", "viewer");
  struct Case {
    std::string user;
    std::string_view permission;
    StatusCode expected;
  };
  const Case cases[] = {
      {"usr_owner", perm::kOrgDelete, StatusCode::kOk},
      {"usr_admin", perm::kOrgDelete, StatusCode::kPermissionDenied},
      {"usr_admin", perm::kMembersManage, StatusCode::kOk},
      {"usr_member", perm::kMembersManage, StatusCode::kPermissionDenied},
      {"usr_member", perm::kTransactionsWrite, StatusCode::kOk},
      {"usr_viewer", perm::kTransactionsWrite, StatusCode::kPermissionDenied},
      {"usr_viewer", perm::kReportsRead, StatusCode::kOk},
      {"usr_viewer", perm::kAuditRead, StatusCode::kPermissionDenied},
      {"usr_stranger", perm::kOrgRead, StatusCode::kNotFound},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.user + " " + std::string(c.permission));
    auto res = AuthorizeUser(c.user, org.id(), c.permission);
    EXPECT_EQ(res.status().code(), c.expected) << res.status().ToString();
    if (res.ok()) {
      EXPECT_EQ(res->role(), c.user.substr(4));
    }
  }
  MH_EXPECT_CODE(AuthorizeUser("usr_owner", "org_missing", perm::kOrgRead), StatusCode::kNotFound);
  auto unknown = AuthorizeUser("usr_owner", org.id(), "org:destroy");
  ASSERT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().field_errors().at(0).field, "permission");
}

TEST_P(OrgContractTest, AuthorizeApiKeysByScopeOrganisationAndBusiness) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  const v1::Org other = CreateOrg("Other", "usr_other");
  auto authorize = [&](const v1::Principal& p, const std::string& org_id,
                       std::string_view permission, const std::string& business = "") {
    v1::AuthorizeRequest req;
    *req.mutable_principal() = p;
    req.set_org_id(org_id);
    req.set_permission(std::string(permission));
    req.set_business_id(business);
    return Orgs().Authorize(req);
  };
  v1::Principal key;
  key.set_kind("api_key");
  key.set_subject_id("key_1");
  key.set_org_id(org.id());
  key.add_scopes("business:read");
  key.add_scopes("org:read");

  auto ok = authorize(key, org.id(), perm::kOrgRead);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->role(), "");
  MH_EXPECT_CODE(authorize(key, org.id(), perm::kBusinessWrite), StatusCode::kPermissionDenied);
  MH_EXPECT_CODE(authorize(key, other.id(), perm::kOrgRead), StatusCode::kNotFound);

  key.set_business_id("biz_1");
  MH_EXPECT_CODE(authorize(key, org.id(), perm::kBusinessRead, "biz_1"), StatusCode::kOk);
  MH_EXPECT_CODE(authorize(key, org.id(), perm::kBusinessRead, "biz_2"), StatusCode::kNotFound);
  MH_EXPECT_CODE(authorize(key, org.id(), perm::kOrgRead), StatusCode::kPermissionDenied);

  v1::Principal weird;
  weird.set_kind("robot");
  weird.set_subject_id("r");
  MH_EXPECT_CODE(authorize(weird, org.id(), perm::kOrgRead), StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// API keys

TEST_P(OrgContractTest, ApiKeySecretIsShownOnceAndVerifies) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  auto created = CreateKey(org.id(), "usr_owner", {"business:read", "reports:read"}, "biz_9");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string secret = created->secret();
  EXPECT_TRUE(secret.starts_with("mh_" + created->key().prefix() + "_"));
  EXPECT_EQ(created->key().name(), "pos terminal");
  EXPECT_EQ(created->key().business_id(), "biz_9");
  EXPECT_EQ(created->key().scopes_size(), 2);
  EXPECT_FALSE(created->key().revoked());
  EXPECT_EQ(LastAudit(org.id(), "apikey.created").target_id(), created->key().id());

  v1::ListApiKeysRequest list;
  list.set_org_id(org.id());
  auto keys = Orgs().ListApiKeys(list);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->items_size(), 1);
  EXPECT_EQ(keys->items(0).id(), created->key().id());
  EXPECT_EQ(keys->SerializeAsString().find(secret.substr(12)), std::string::npos)
      << "a list must never carry the secret";

  auto verified = Verify(secret);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->key_id(), created->key().id());
  EXPECT_EQ(verified->org_id(), org.id());
  EXPECT_EQ(verified->business_id(), "biz_9");
  EXPECT_EQ(std::vector<std::string>(verified->scopes().begin(), verified->scopes().end()),
            (std::vector<std::string>{"business:read", "reports:read"}));

  std::string wrong = secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  MH_EXPECT_CODE(Verify(wrong), StatusCode::kUnauthenticated);
  MH_EXPECT_CODE(Verify("mh_garbage"), StatusCode::kUnauthenticated);
  MH_EXPECT_CODE(Verify(""), StatusCode::kUnauthenticated);
}

TEST_P(OrgContractTest, ApiKeyScopesAreCheckedAgainstTheCreator) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  AddUser(org.id(), "usr_owner", "usr_admin", "admin");
  AddUser(org.id(), "usr_owner", "usr_viewer", "viewer");
  MH_EXPECT_CODE(CreateKey(org.id(), "usr_viewer", {"business:read"}),
                 StatusCode::kPermissionDenied);
  auto beyond = CreateKey(org.id(), "usr_admin", {"org:delete"});
  ASSERT_EQ(beyond.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(beyond.status().field_errors().at(0).field, "scopes");
  EXPECT_EQ(LastAudit(org.id(), "apikey.created").result(), "failure");
  auto unknown = CreateKey(org.id(), "usr_owner", {"root"});
  ASSERT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().field_errors().at(0).field, "scopes");
  MH_EXPECT_CODE(CreateKey(org.id(), "usr_owner", {}), StatusCode::kInvalidArgument);
  MH_EXPECT_CODE(CreateKey(org.id(), "usr_owner", {"org:read"}, "biz 1"),
                 StatusCode::kInvalidArgument);
  MH_EXPECT_CODE(CreateKey(org.id(), "usr_stranger", {"org:read"}), StatusCode::kNotFound);
  MH_ASSERT_OK(CreateKey(org.id(), "usr_owner", {"org:delete"}));
}

TEST_P(OrgContractTest, LastUsedIsWrittenAtMostOnceAMinute) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  auto created = CreateKey(org.id(), "usr_owner", {"org:read"});
  ASSERT_TRUE(created.ok());
  auto last_used = [&] {
    v1::ListApiKeysRequest list;
    list.set_org_id(org.id());
    auto keys = Orgs().ListApiKeys(list);
    EXPECT_TRUE(keys.ok());
    return keys.ok() && keys->items_size() == 1 ? keys->items(0).last_used_at_ms() : -1;
  };
  EXPECT_EQ(last_used(), 0);
  const std::int64_t t0 = clock_.NowUnixMillis();
  MH_ASSERT_OK(Verify(created->secret()));
  EXPECT_EQ(last_used(), t0);
  clock_.Advance(std::chrono::seconds(59));
  MH_ASSERT_OK(Verify(created->secret()));
  EXPECT_EQ(last_used(), t0);
  clock_.Advance(std::chrono::seconds(1));
  MH_ASSERT_OK(Verify(created->secret()));
  EXPECT_EQ(last_used(), t0 + 60'000);
}

TEST_P(OrgContractTest, RevokedKeysStopWorkingAndRevokingIsScopedAndIdempotent) {
  const v1::Org org = CreateOrg("Kiosk", "usr_owner");
  const v1::Org other = CreateOrg("Other", "usr_other");
  auto created = CreateKey(org.id(), "usr_owner", {"org:read"});
  ASSERT_TRUE(created.ok());

  v1::RevokeApiKeyRequest req;
  req.set_org_id(other.id());
  req.set_key_id(created->key().id());
  *req.mutable_audit() = Actor("usr_other");
  MH_EXPECT_CODE(Orgs().RevokeApiKey(req), StatusCode::kNotFound);
  MH_ASSERT_OK(Verify(created->secret()));

  req.set_org_id(org.id());
  *req.mutable_audit() = Actor("usr_owner");
  auto revoked = Orgs().RevokeApiKey(req);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_TRUE(revoked->key().revoked());
  EXPECT_EQ(revoked->key().revoked_at_ms(), clock_.NowUnixMillis());
  MH_EXPECT_CODE(Verify(created->secret()), StatusCode::kUnauthenticated);
  MH_ASSERT_OK(Orgs().RevokeApiKey(req));
  EXPECT_EQ(Outbox(kApiKeyRevokedEvent).size(), 1u);
  int revocations = 0;
  for (const auto& r : AuditRecords(org.id())) revocations += r.action() == "apikey.revoked";
  EXPECT_EQ(revocations, 1);

  req.set_key_id("key_missing");
  MH_EXPECT_CODE(Orgs().RevokeApiKey(req), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(All, OrgContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::Values(Transport::kInProcess,
                                                              Transport::kGrpc)),
                         ParamName);

}  // namespace
}  // namespace milkyhoop::org
