// The organisation routes over the real OrgService on SQLite: response shapes, validation naming
// fields, and the tenancy matrix (every org-scoped route answers 404 to a non-member and 403 to a
// viewer who tries to write).

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/openapi.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/org/permissions.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::gateway {
namespace {

using nlohmann::json;

class FakeUserDirectory final : public UserDirectory {
 public:
  Result<std::optional<UserRef>> FindByEmail(std::string_view email) override {
    if (down) return Unavailable("auth service unavailable");
    auto it = users.find(std::string(email));
    if (it == users.end()) return std::optional<UserRef>();
    return std::optional<UserRef>(it->second);
  }
  std::map<std::string, UserRef> users;
  bool down = false;
};

http::Principal User(std::string id) {
  return http::Principal{http::Principal::Kind::kUser, std::move(id), "", "", "", {}};
}

class OrgRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mh_org_routes_test_" + RandomHex(6));
    auto db = sql::OpenSqlite({.path = (dir_ / "org.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(org::MigrateOrgDatabase(*db_).ok());
    orgs_ = org::MakeOrgService(*db_, clock_);
    ASSERT_TRUE(RegisterOrgRoutes(router_, *orgs_, users_).ok());
    users_.users["dewi@example.com"] = {"usr_dewi", "dewi@example.com", "Dewi"};
  }
  void TearDown() override {
    orgs_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct Answer {
    int status = 0;
    json body;
    http::Response raw;
  };

  // Routes the request like the server would and calls the handler directly.
  Answer Call(const std::string& method, const std::string& target,
              std::optional<http::Principal> principal, const std::string& body = "",
              const std::string& content_type = "application/json") {
    http::Request req;
    const auto q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    req.method = method;
    req.target = target;
    req.path = path;
    req.query = query;
    req.body = body;
    req.headers = {{"Content-Type", content_type}, {"User-Agent", "route-test/1"}};
    req.remote_ip = "192.0.2.10";
    req.request_id = "req-route";
    req.principal = std::move(principal);
    const http::Router::Match match = router_.Find(method, path, req);
    EXPECT_NE(match.route, nullptr) << method << " " << path;
    Answer a;
    if (match.route == nullptr) return a;
    req.route = match.route;
    a.raw = match.route->handler(req);
    a.status = a.raw.status;
    if (!a.raw.body.empty()) a.body = json::parse(a.raw.body, nullptr, false);
    return a;
  }

  std::string CreateOrg(const std::string& owner, const std::string& name = "Warung") {
    Answer a = Call("POST", "/v1/orgs", User(owner), json{{"name", name}}.dump());
    EXPECT_EQ(a.status, 201) << a.raw.body;
    return a.body.value("id", "");
  }

  void AddUser(const std::string& org_id, const std::string& owner, const std::string& user_id,
               const std::string& role) {
    users_.users[user_id + "@example.com"] = {user_id, user_id + "@example.com", user_id};
    Answer a = Call("POST", "/v1/orgs/" + org_id + "/members", User(owner),
                    json{{"email", user_id + "@example.com"}, {"role", role}}.dump());
    ASSERT_EQ(a.status, 201) << a.raw.body;
  }

  static std::vector<std::string> Fields(const Answer& a) {
    std::vector<std::string> out;
    for (const auto& e : a.body.value("errors", json::array())) out.push_back(e["field"]);
    return out;
  }

  ManualClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<org::OrgService> orgs_;
  FakeUserDirectory users_;
  http::Router router_;
};

TEST_F(OrgRoutesTest, EveryRouteIsDocumented) {
  http::ApiInfo info;
  info.version = "test";
  auto doc = http::BuildOpenApi(router_, info);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const json openapi = json::parse(*doc);
  EXPECT_EQ(router_.routes().size(), 12u);
  for (const auto& r : router_.routes()) {
    SCOPED_TRACE(r->method + " " + r->path);
    EXPECT_FALSE(r->summary.empty());
    EXPECT_EQ(r->tag, "Organisations");
    EXPECT_FALSE(r->operation_id.empty());
    EXPECT_NE(r->auth, http::AuthPolicy::kPublic);
    EXPECT_EQ(r->rate_class, http::RateClass::kGeneral);
    EXPECT_EQ(r->execution, http::Execution::kBlocking);
    EXPECT_FALSE(r->responses.empty());
    EXPECT_FALSE(r->responses[0].schema.empty() && r->responses[0].status != 204);
    if (r->path.find("{org_id}") != std::string::npos) {
      EXPECT_FALSE(r->permission.empty());
    }
    if (r->method == "POST" || r->method == "PATCH") {
      EXPECT_FALSE(r->request_schema.empty());
    }
  }
  const json& scopes = openapi["paths"]["/v1/orgs/{org_id}/api-keys"]["post"]["requestBody"]
                              ["content"]["application/json"]["schema"]["properties"]["scopes"];
  EXPECT_EQ(scopes["items"]["enum"].size(), org::AllPermissions().size());
}

TEST_F(OrgRoutesTest, CreateListGetRenameDelete) {
  Answer created =
      Call("POST", "/v1/orgs", User("usr_a"), R"({"name": "  Warung Bu Sri ", "ignored": [1, 2]})");
  ASSERT_EQ(created.status, 201) << created.raw.body;
  const std::string id = created.body["id"];
  EXPECT_EQ(created.body["name"], "Warung Bu Sri");
  EXPECT_EQ(created.body["slug"], "warung-bu-sri");
  EXPECT_EQ(created.body["role"], "owner");
  EXPECT_EQ(created.body["created_at"], FormatTimestamp(clock_.NowUnixMillis()));
  EXPECT_EQ(created.raw.Header("Location"), "/v1/orgs/" + id);

  Answer listed = Call("GET", "/v1/orgs", User("usr_a"));
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.body["items"][0]["id"], id);
  EXPECT_EQ(listed.body["items"][0]["role"], "owner");
  EXPECT_TRUE(listed.body["next_cursor"].is_null());
  EXPECT_EQ(Call("GET", "/v1/orgs", User("usr_other")).body["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/v1/orgs?limit=500", User("usr_a")).status, 400);

  Answer got = Call("GET", "/v1/orgs/" + id, User("usr_a"));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, created.body);

  Answer renamed = Call("PATCH", "/v1/orgs/" + id, User("usr_a"), R"({"name": "Toko Sri"})");
  ASSERT_EQ(renamed.status, 200) << renamed.raw.body;
  EXPECT_EQ(renamed.body["name"], "Toko Sri");
  EXPECT_EQ(renamed.body["slug"], "warung-bu-sri");

  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id, User("usr_a")).status, 204);
  EXPECT_EQ(Call("GET", "/v1/orgs/" + id, User("usr_a")).status, 404);
}

TEST_F(OrgRoutesTest, BadBodiesAre400NamingTheField) {
  Answer missing = Call("POST", "/v1/orgs", User("usr_a"), "{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["code"], "invalid_argument");
  EXPECT_EQ(Fields(missing), std::vector<std::string>{"name"});
  EXPECT_EQ(Fields(Call("POST", "/v1/orgs", User("usr_a"), R"({"name": 42})")),
            std::vector<std::string>{"name"});
  EXPECT_EQ(
      Fields(Call("POST", "/v1/orgs", User("usr_a"), json{{"name", std::string(101, 'n')}}.dump())),
      std::vector<std::string>{"name"});
  EXPECT_EQ(Call("POST", "/v1/orgs", User("usr_a"), R"({"name": "x")").status, 400);
  EXPECT_EQ(Call("POST", "/v1/orgs", User("usr_a"), "[1]").status, 400);
  EXPECT_EQ(Call("POST", "/v1/orgs", User("usr_a"), R"({"name":"x"})", "text/plain").status, 415);

  const std::string id = CreateOrg("usr_a");
  Answer both = Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"),
                     R"({"email": "not-an-address", "role": "king"})");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(Fields(both), (std::vector<std::string>{"email", "role"}));
  EXPECT_EQ(Fields(Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"), R"({"role": 1})")),
            (std::vector<std::string>{"email", "role"}));
  EXPECT_EQ(Fields(Call("PATCH", "/v1/orgs/" + id + "/members/usr_a", User("usr_a"), "{}")),
            std::vector<std::string>{"role"});
  Answer key = Call("POST", "/v1/orgs/" + id + "/api-keys", User("usr_a"),
                    R"({"name": "", "scopes": ["org:read", "root"], "business_id": "a b"})");
  EXPECT_EQ(key.status, 400);
  EXPECT_EQ(Fields(key), (std::vector<std::string>{"name", "scopes", "business_id"}));
  EXPECT_EQ(Fields(Call("POST", "/v1/orgs/" + id + "/api-keys", User("usr_a"),
                        R"({"name": "k", "scopes": "org:read"})")),
            std::vector<std::string>{"scopes"});
  EXPECT_EQ(Fields(Call("GET", "/v1/orgs/" + id + "/members?limit=0", User("usr_a"))),
            std::vector<std::string>{"limit"});
}

// Every org-scoped route, with another organisation's id: 404, never 403 or 2xx.
TEST_F(OrgRoutesTest, EveryOrgScopedRouteHidesOtherOrganisations) {
  const std::string a = CreateOrg("usr_a");
  CreateOrg("usr_b");
  AddUser(a, "usr_a", "usr_x", "member");
  int checked = 0;
  for (const auto& r : router_.routes()) {
    if (r->path.find("{org_id}") == std::string::npos) continue;
    std::string path = r->path;
    path.replace(path.find("{org_id}"), 8, a);
    if (auto p = path.find("{user_id}"); p != std::string::npos) path.replace(p, 9, "usr_x");
    if (auto p = path.find("{key_id}"); p != std::string::npos) path.replace(p, 8, "key_x");
    const std::string body =
        R"({"name":"n","email":"e@example.com","role":"viewer","scopes":["org:read"]})";
    Answer answer = Call(r->method, path, User("usr_b"), body);
    EXPECT_EQ(answer.status, 404) << r->method << " " << r->path << " " << answer.raw.body;
    EXPECT_EQ(answer.body["code"], "not_found");
    ++checked;
  }
  EXPECT_EQ(checked, 10);
  EXPECT_EQ(Call("GET", "/v1/orgs/org_doesnotexist", User("usr_a")).status, 404);
}

// Every write of an org-scoped route by a viewer: 403.
TEST_F(OrgRoutesTest, ViewersCannotWrite) {
  const std::string a = CreateOrg("usr_a");
  AddUser(a, "usr_a", "usr_v", "viewer");
  AddUser(a, "usr_a", "usr_x", "member");
  int checked = 0;
  for (const auto& r : router_.routes()) {
    if (r->path.find("{org_id}") == std::string::npos) continue;
    if (r->method == "GET" && r->path.find("api-keys") == std::string::npos) continue;
    std::string path = r->path;
    path.replace(path.find("{org_id}"), 8, a);
    if (auto p = path.find("{user_id}"); p != std::string::npos) path.replace(p, 9, "usr_x");
    if (auto p = path.find("{key_id}"); p != std::string::npos) path.replace(p, 8, "key_x");
    const std::string body =
        R"({"name":"n","email":"e@example.com","role":"viewer","scopes":["org:read"]})";
    Answer answer = Call(r->method, path, User("usr_v"), body);
    EXPECT_EQ(answer.status, 403) << r->method << " " << r->path << " " << answer.raw.body;
    EXPECT_EQ(answer.body["code"], "permission_denied");
    ++checked;
  }
  EXPECT_EQ(checked, 8);
  // Reading is fine, and so is leaving.
  EXPECT_EQ(Call("GET", "/v1/orgs/" + a + "/members", User("usr_v")).status, 200);
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + a + "/members/usr_v", User("usr_v")).status, 204);
}

TEST_F(OrgRoutesTest, MembersAndInvitations) {
  const std::string id = CreateOrg("usr_a");
  Answer added = Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"),
                      R"({"email": "Dewi@Example.com", "role": "member"})");
  ASSERT_EQ(added.status, 201) << added.raw.body;
  EXPECT_EQ(added.body["user_id"], "usr_dewi");
  EXPECT_EQ(added.body["email"], "dewi@example.com");
  EXPECT_EQ(added.body["name"], "Dewi");
  EXPECT_EQ(added.body["role"], "member");
  EXPECT_EQ(added.body["status"], "active");

  Answer invited = Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"),
                        R"({"email": "new@example.com", "role": "viewer"})");
  ASSERT_EQ(invited.status, 201);
  EXPECT_TRUE(invited.body["user_id"].is_null());
  EXPECT_EQ(invited.body["status"], "invited");
  EXPECT_EQ(Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"),
                 R"({"email": "new@example.com", "role": "viewer"})")
                .status,
            409);

  Answer listed = Call("GET", "/v1/orgs/" + id + "/members", User("usr_a"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["items"].size(), 3u);
  EXPECT_TRUE(listed.body["next_cursor"].is_null());
  for (const auto& m : listed.body["items"]) {
    for (const char* field : {"id", "user_id", "email", "name", "role", "status", "created_at"}) {
      EXPECT_TRUE(m.contains(field)) << field;
    }
  }

  Answer changed =
      Call("PATCH", "/v1/orgs/" + id + "/members/usr_dewi", User("usr_a"), R"({"role": "admin"})");
  ASSERT_EQ(changed.status, 200) << changed.raw.body;
  EXPECT_EQ(changed.body["role"], "admin");
  // An invitation is addressed by its id.
  const std::string invitation = invited.body["id"];
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/members/" + invitation, User("usr_dewi")).status,
            204);
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/members/usr_nobody", User("usr_a")).status, 404);

  users_.down = true;
  EXPECT_EQ(Call("POST", "/v1/orgs/" + id + "/members", User("usr_a"),
                 R"({"email": "x@example.com", "role": "viewer"})")
                .status,
            503);
}

TEST_F(OrgRoutesTest, TheLastOwnerStays) {
  const std::string id = CreateOrg("usr_a");
  Answer demote =
      Call("PATCH", "/v1/orgs/" + id + "/members/usr_a", User("usr_a"), R"({"role": "admin"})");
  EXPECT_EQ(demote.status, 409);
  Answer leave = Call("DELETE", "/v1/orgs/" + id + "/members/usr_a", User("usr_a"));
  EXPECT_EQ(leave.status, 409);
  EXPECT_EQ(leave.raw.content_type, "application/problem+json");
  AddUser(id, "usr_a", "usr_admin", "admin");
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/members/usr_a", User("usr_admin")).status, 403);
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id, User("usr_admin")).status, 403);
}

TEST_F(OrgRoutesTest, ApiKeySecretIsShownOnce) {
  const std::string id = CreateOrg("usr_a");
  Answer created = Call("POST", "/v1/orgs/" + id + "/api-keys", User("usr_a"),
                        R"({"name": "Kasir", "scopes": ["business:read", "org:read"],
                            "business_id": null})");
  ASSERT_EQ(created.status, 201) << created.raw.body;
  const std::string secret = created.body["key"];
  EXPECT_TRUE(secret.starts_with("mh_"));
  EXPECT_EQ(created.body["prefix"], secret.substr(3, 8));
  EXPECT_EQ(created.body["scopes"], json({"business:read", "org:read"}));
  EXPECT_TRUE(created.body["business_id"].is_null());
  EXPECT_EQ(created.raw.Header("Cache-Control"), "no-store");

  Answer listed = Call("GET", "/v1/orgs/" + id + "/api-keys", User("usr_a"));
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.raw.body.find(secret.substr(12)), std::string::npos);
  EXPECT_FALSE(listed.body["items"][0].contains("key"));
  EXPECT_EQ(listed.body["items"][0]["revoked"], false);
  EXPECT_TRUE(listed.body["items"][0]["last_used_at"].is_null());

  // Beyond the creator's role: an admin cannot mint org:delete.
  AddUser(id, "usr_a", "usr_admin", "admin");
  Answer beyond = Call("POST", "/v1/orgs/" + id + "/api-keys", User("usr_admin"),
                       R"({"name": "k", "scopes": ["org:delete"]})");
  EXPECT_EQ(beyond.status, 403);
  EXPECT_EQ(Fields(beyond), std::vector<std::string>{"scopes"});

  const std::string key_id = created.body["id"];
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/api-keys/" + key_id, User("usr_a")).status, 204);
  EXPECT_EQ(Call("DELETE", "/v1/orgs/" + id + "/api-keys/" + key_id, User("usr_a")).status, 204);
  EXPECT_EQ(Call("GET", "/v1/orgs/" + id + "/api-keys", User("usr_a")).body["items"][0]["revoked"],
            true);
  org::v1::VerifyApiKeyRequest verify;
  verify.set_secret(secret);
  EXPECT_EQ(orgs_->VerifyApiKey(verify).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(OrgRoutesTest, ApiKeysMayReadTheirOwnOrganisationOnly) {
  const std::string a = CreateOrg("usr_a");
  const std::string b = CreateOrg("usr_b");
  http::Principal key{http::Principal::Kind::kApiKey, "key_1", "", a, "", {"org:read"}};
  Answer got = Call("GET", "/v1/orgs/" + a, key);
  ASSERT_EQ(got.status, 200) << got.raw.body;
  EXPECT_TRUE(got.body["role"].is_null());
  EXPECT_EQ(Call("GET", "/v1/orgs/" + b, key).status, 404);
  EXPECT_EQ(Call("GET", "/v1/orgs/" + a + "/members", key).status, 403);  // no members:read
}

}  // namespace
}  // namespace milkyhoop::gateway
