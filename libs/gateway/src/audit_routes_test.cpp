// The audit routes end to end in one process: organisation routes change state, the org outbox
// is relayed over the in-process bus to the audit consumer, and the audit routes read and verify
// the chain.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "milkyhoop/audit/audit_factory.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/events/outbox_relay.hpp"
#include "milkyhoop/gateway/audit_routes.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/org/org_factory.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

class NoUsers final : public UserDirectory {
 public:
  Result<std::optional<UserRef>> FindByEmail(std::string_view) override {
    return std::optional<UserRef>();
  }
};

http::Principal User(std::string id) {
  return http::Principal{http::Principal::Kind::kUser, std::move(id), "", "", "", {}};
}

class AuditRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mh_audit_routes_test_" + RandomHex(6));
    // Two services, two databases, as in the all-in-one shape.
    auto org_db = sql::OpenSqlite({.path = (dir_ / "org.db").string()});
    auto audit_db = sql::OpenSqlite({.path = (dir_ / "audit.db").string()});
    ASSERT_TRUE(org_db.ok() && audit_db.ok());
    org_db_ = std::move(*org_db);
    audit_db_ = std::move(*audit_db);
    ASSERT_TRUE(org::MigrateOrgDatabase(*org_db_).ok());
    ASSERT_TRUE(audit::MigrateAuditDatabase(*audit_db_).ok());
    orgs_ = org::MakeOrgService(*org_db_, clock_);
    audit_ = audit::MakeAuditService(*audit_db_, clock_);
    bus_ = events::MakeInProcessBus();
    ASSERT_TRUE(audit::SubscribeAuditConsumer(*bus_, *audit_db_, clock_).ok());
    relay_ = std::make_unique<events::OutboxRelay>("org", *org_db_, *bus_, events::RelayOptions{},
                                                   nullptr);
    ASSERT_TRUE(RegisterOrgRoutes(router_, *orgs_, users_).ok());
    ASSERT_TRUE(RegisterAuditRoutes(router_, *orgs_, *audit_).ok());
  }
  void TearDown() override {
    relay_.reset();
    orgs_.reset();
    audit_.reset();
    org_db_.reset();
    audit_db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct Answer {
    int status = 0;
    json body;
    std::string raw;
  };

  Answer Call(const std::string& method, const std::string& target, http::Principal principal,
              const std::string& body = "") {
    http::Request req;
    const auto q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    req.method = method;
    req.path = path;
    req.query = query;
    req.body = body;
    req.headers = {{"Content-Type", "application/json"}, {"User-Agent", "audit-test/2"}};
    req.remote_ip = "203.0.113.50";
    req.request_id = "req-audit";
    req.principal = std::move(principal);
    const http::Router::Match match = router_.Find(method, path, req);
    EXPECT_NE(match.route, nullptr) << method << " " << path;
    Answer a;
    if (match.route == nullptr) return a;
    req.route = match.route;
    http::Response res = match.route->handler(req);
    a.status = res.status;
    a.raw = res.body;
    if (!res.body.empty()) a.body = json::parse(res.body, nullptr, false);
    return a;
  }

  // Delivers everything the org service has committed to the audit service.
  void Relay() {
    for (;;) {
      auto sent = relay_->RunOnce();
      ASSERT_TRUE(sent.ok()) << sent.status().ToString();
      if (*sent == 0) break;
    }
  }

  // An organisation of usr_owner with a few audited changes, relayed.
  std::string Seed() {
    Answer created = Call("POST", "/v1/orgs", User("usr_owner"), R"({"name": "Laundry"})");
    EXPECT_EQ(created.status, 201);
    const std::string id = created.body["id"];
    clock_.Advance(std::chrono::hours(1));
    Call("POST", "/v1/orgs/" + id + "/members", User("usr_owner"),
         R"({"email": "a@example.com", "role": "viewer"})");
    clock_.Advance(std::chrono::hours(1));
    Call("PATCH", "/v1/orgs/" + id, User("usr_owner"), R"({"name": "Laundry Kilat"})");
    Relay();
    return id;
  }

  ManualClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<sql::Database> org_db_, audit_db_;
  std::unique_ptr<org::OrgService> orgs_;
  std::unique_ptr<audit::AuditService> audit_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<events::OutboxRelay> relay_;
  NoUsers users_;
  http::Router router_;
};

TEST_F(AuditRoutesTest, ChangesMadeThroughTheApiAppearInTheLog) {
  const std::string id = Seed();
  Answer listed = Call("GET", "/v1/orgs/" + id + "/audit-events", User("usr_owner"));
  ASSERT_EQ(listed.status, 200) << listed.raw;
  ASSERT_EQ(listed.body["items"].size(), 3u);
  EXPECT_TRUE(listed.body["next_cursor"].is_null());
  const json& newest = listed.body["items"][0];
  EXPECT_EQ(newest["action"], "org.renamed");
  EXPECT_EQ(newest["actor_id"], "usr_owner");
  EXPECT_EQ(newest["target_type"], "org");
  EXPECT_EQ(newest["target_id"], id);
  EXPECT_EQ(newest["ip"], "203.0.113.50");
  EXPECT_EQ(newest["user_agent"], "audit-test/2");
  EXPECT_EQ(newest["request_id"], "req-audit");
  EXPECT_EQ(newest["result"], "success");
  EXPECT_EQ(newest["at"], FormatTimestamp(clock_.NowUnixMillis()));
  EXPECT_EQ(newest["hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(listed.body["items"][1]["action"], "member.invited");
  EXPECT_EQ(listed.body["items"][2]["action"], "org.created");

  Answer filtered =
      Call("GET", "/v1/orgs/" + id + "/audit-events?action=org.created", User("usr_owner"));
  ASSERT_EQ(filtered.body["items"].size(), 1u);
  const std::string start = FormatTimestamp(clock_.NowUnixMillis() - 3600'000);
  Answer windowed =
      Call("GET", "/v1/orgs/" + id + "/audit-events?from=" + start, User("usr_owner"));
  EXPECT_EQ(windowed.body["items"].size(), 2u);
  Answer paged = Call("GET", "/v1/orgs/" + id + "/audit-events?limit=2", User("usr_owner"));
  ASSERT_EQ(paged.body["items"].size(), 2u);
  const std::string cursor = paged.body["next_cursor"];
  Answer rest =
      Call("GET", "/v1/orgs/" + id + "/audit-events?limit=2&cursor=" + cursor, User("usr_owner"));
  ASSERT_EQ(rest.body["items"].size(), 1u);
  EXPECT_EQ(rest.body["items"][0]["action"], "org.created");
}

TEST_F(AuditRoutesTest, VerifyReportsTheChainAndATamperedEvent) {
  const std::string id = Seed();
  Answer ok = Call("GET", "/v1/orgs/" + id + "/audit-events/verify", User("usr_owner"));
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["ok"], true);
  EXPECT_EQ(ok.body["count"], 3);
  Answer listed = Call("GET", "/v1/orgs/" + id + "/audit-events", User("usr_owner"));
  EXPECT_EQ(ok.body["head_hash"], listed.body["items"][0]["hash"]);

  const std::string victim = listed.body["items"][1]["id"];
  ASSERT_TRUE(
      audit_db_->Exec("UPDATE audit_events SET ip = '10.0.0.1' WHERE id = $1", {victim}).ok());
  Answer bad = Call("GET", "/v1/orgs/" + id + "/audit-events/verify", User("usr_owner"));
  ASSERT_EQ(bad.status, 200);
  EXPECT_EQ(bad.body["ok"], false);
  EXPECT_EQ(bad.body["first_bad_id"], victim);
}

TEST_F(AuditRoutesTest, QueryParametersAreValidated) {
  const std::string id = Seed();
  auto fields = [&](const std::string& query) {
    Answer a = Call("GET", "/v1/orgs/" + id + "/audit-events?" + query, User("usr_owner"));
    EXPECT_EQ(a.status, 400) << query;
    std::vector<std::string> out;
    for (const auto& e : a.body.value("errors", json::array())) out.push_back(e["field"]);
    return out;
  };
  EXPECT_EQ(fields("from=yesterday"), std::vector<std::string>{"from"});
  EXPECT_EQ(fields("to=2024-13-01T00:00:00Z"), std::vector<std::string>{"to"});
  EXPECT_EQ(fields("limit=201"), std::vector<std::string>{"limit"});
  EXPECT_EQ(fields("from=x&limit=0"), (std::vector<std::string>{"from", "limit"}));
  EXPECT_EQ(fields("cursor=zzz"), std::vector<std::string>{"cursor"});
  EXPECT_EQ(fields("from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z"),
            std::vector<std::string>{"to"});
  EXPECT_EQ(fields("action=" + std::string(201, 'a')), std::vector<std::string>{"action"});
}

TEST_F(AuditRoutesTest, OnlyOwnersAdminsAndScopedKeysReadTheLog) {
  const std::string id = Seed();
  const std::string other =
      Call("POST", "/v1/orgs", User("usr_other"), R"({"name": "X"})").body["id"];
  Call("POST", "/v1/orgs/" + id + "/members", User("usr_owner"),
       R"({"email": "v@example.com", "role": "viewer"})");
  // Registered viewer (directly added through the service: this directory knows nobody).
  org::v1::AddMemberRequest add;
  add.set_org_id(id);
  add.set_email("viewer@example.com");
  add.set_role("viewer");
  add.mutable_user()->set_user_id("usr_viewer");
  add.mutable_audit()->set_actor_id("usr_owner");
  ASSERT_TRUE(orgs_->AddMember(add).ok());

  for (const char* suffix : {"/audit-events", "/audit-events/verify"}) {
    EXPECT_EQ(Call("GET", "/v1/orgs/" + id + suffix, User("usr_viewer")).status, 403) << suffix;
    EXPECT_EQ(Call("GET", "/v1/orgs/" + id + suffix, User("usr_other")).status, 404) << suffix;
    EXPECT_EQ(Call("GET", "/v1/orgs/" + other + suffix, User("usr_owner")).status, 404) << suffix;
    http::Principal key{http::Principal::Kind::kApiKey, "key_1", "", id, "", {"audit:read"}};
    EXPECT_EQ(Call("GET", "/v1/orgs/" + id + suffix, key).status, 200) << suffix;
    key.scopes = {"org:read"};
    EXPECT_EQ(Call("GET", "/v1/orgs/" + id + suffix, key).status, 403) << suffix;
    key.org_id = other;
    key.scopes = {"audit:read"};
    EXPECT_EQ(Call("GET", "/v1/orgs/" + id + suffix, key).status, 404) << suffix;
  }
  // A refused change is audited as a failure.
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/members/usr_owner", User("usr_owner")).status, 409);
  Relay();
  Answer failures =
      Call("GET", "/v1/orgs/" + id + "/audit-events?action=member.left", User("usr_owner"));
  ASSERT_EQ(failures.body["items"].size(), 1u);
  EXPECT_EQ(failures.body["items"][0]["result"], "failure");
}

}  // namespace
}  // namespace milkyhoop::gateway
