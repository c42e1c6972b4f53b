// The HTTP routes of the business service, driven through the router as the gateway does: the
// real OrgService decides who may act, the real BusinessService acts (SQLite). Covers the
// authorisation order (404 for another organisation's business whatever the body, 403 for a
// viewer's write), JSON validation naming fields, idempotent replays, and a cross-tenant sweep
// of every route.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "testing/test_database.hpp"

namespace milkyhoop::gateway {
namespace {

using business::testing::Backend;
using business::testing::TestDatabase;
using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  http::Response raw;
};

class BusinessRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MH_ASSERT_OK_AND_ASSIGN(org_store_, TestDatabase::Open(Backend::kSqlite));
    MH_ASSERT_OK_AND_ASSIGN(biz_store_, TestDatabase::Open(Backend::kSqlite));
    MH_ASSERT_OK(org::MigrateOrgDatabase(org_store_->db()));
    MH_ASSERT_OK(business::MigrateBusinessDatabase(biz_store_->db()));
    orgs_ = org::MakeOrgService(org_store_->db(), clock_);
    security_ = security::MakeSecurityService(crypto::KeyRing::Generate());
    businesses_ = business::MakeBusinessService(biz_store_->db(), *security_, clock_);
    MH_ASSERT_OK(RegisterBusinessRoutes(router_, *orgs_, *businesses_));
    org_a_ = CreateOrg("usr_owner_a");
    org_b_ = CreateOrg("usr_owner_b");
    AddMember(org_a_, "usr_owner_a", "usr_viewer_a", "viewer");
  }

  std::string CreateOrg(const std::string& owner) {
    org::v1::CreateOrgRequest req;
    req.set_name("Org of " + owner);
    req.mutable_audit()->set_actor_id(owner);
    auto res = orgs_->CreateOrg(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->org().id() : "";
  }

  void AddMember(const std::string& org_id, const std::string& actor, const std::string& user,
                 const std::string& role) {
    org::v1::AddMemberRequest req;
    req.set_org_id(org_id);
    req.set_email(user + "@example.com");
    req.set_role(role);
    req.mutable_user()->set_user_id(user);
    req.mutable_user()->set_email(user + "@example.com");
    req.mutable_user()->set_name(user);
    req.mutable_audit()->set_actor_id(actor);
    auto res = orgs_->AddMember(req);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
  }

  Reply Call(const std::string& method, const std::string& target, const std::string& user,
             const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    const std::size_t q = target.find('?');
    req.method = method;
    req.target = target;
    req.path = std::string_view(target).substr(0, q);
    req.query =
        q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
    req.body = body;
    headers.emplace_back("Content-Type", "application/json");
    for (const auto& [k, v] : headers) req.headers.emplace_back(k, v);
    if (!user.empty()) {
      http::Principal p;
      p.subject_id = user;
      req.principal = p;
    }
    auto match = router_.Find(req.method, req.path, req);
    Reply reply;
    if (match.route == nullptr) {
      reply.status = match.path_known ? 405 : 404;
      return reply;
    }
    req.route = match.route;
    reply.raw = match.route->handler(req);
    reply.status = reply.raw.status;
    if (!reply.raw.body.empty()) reply.body = json::parse(reply.raw.body, nullptr, false);
    return reply;
  }

  std::string NewBusiness(const std::string& org_id, const std::string& owner,
                          const std::string& name) {
    Reply r = Call("POST", "/v1/orgs/" + org_id + "/businesses", owner,
                   json({{"name", name},
                         {"description", "d"},
                         {"category", "retail"},
                         {"language", "id"},
                         {"currency", "IDR"}})
                       .dump());
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return r.body.value("id", "");
  }

  std::string FieldOf(const Reply& r) {
    if (!r.body.contains("errors") || r.body["errors"].empty()) return "";
    return r.body["errors"][0].value("field", "");
  }

  ManualClock clock_;
  std::unique_ptr<TestDatabase> org_store_, biz_store_;
  std::unique_ptr<org::OrgService> orgs_;
  std::unique_ptr<security::SecurityService> security_;
  std::unique_ptr<business::BusinessService> businesses_;
  http::Router router_;
  std::string org_a_, org_b_;
};

TEST_F(BusinessRoutesTest, ShopFlowWithIdempotentReplay) {
  Reply created = Call("POST", "/v1/orgs/" + org_a_ + "/businesses", "usr_owner_a",
                       R"({"name": "Warung Bu Sari", "description": "Sembako", "category": "retail",
                           "language": "id", "currency": "IDR"})");
  ASSERT_EQ(created.status, 201) << created.raw.body;
  EXPECT_EQ(created.body["slug"], "warung-bu-sari");
  const std::string biz = created.body["id"];
  const std::string base = "/v1/businesses/" + biz;

  Reply product = Call("POST", base + "/products", "usr_owner_a",
                       R"({"name": "Kaos", "price": {"amount": 45000, "currency": "IDR"},
                           "cost": {"amount": 30000, "currency": "IDR"}, "stock": 10, "unit": "pcs"})");
  ASSERT_EQ(product.status, 201) << product.raw.body;
  const std::string pid = product.body["id"];

  const std::string sale = json({{"type", "sale"},
                                 {"items",
                                  {{{"product_id", pid},
                                    {"name", "Kaos"},
                                    {"quantity", 2},
                                    {"unit_price", {{"amount", 45000}, {"currency", "IDR"}}}}}}})
                               .dump();
  Reply first =
      Call("POST", base + "/transactions", "usr_owner_a", sale, {{"Idempotency-Key", "k1"}});
  ASSERT_EQ(first.status, 201) << first.raw.body;
  EXPECT_EQ(first.body["total"]["amount"], 90000);
  EXPECT_EQ(first.body["status"], "posted");
  Reply replay =
      Call("POST", base + "/transactions", "usr_owner_a", sale, {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.raw.body, first.raw.body);
  EXPECT_EQ(replay.raw.Header("Idempotent-Replayed"), "true");
  json other = json::parse(sale);
  other["items"][0]["quantity"] = 3;
  EXPECT_EQ(
      Call("POST", base + "/transactions", "usr_owner_a", other.dump(), {{"Idempotency-Key", "k1"}})
          .status,
      409);

  Reply got = Call("GET", base + "/products/" + pid, "usr_viewer_a");
  EXPECT_EQ(got.body["stock"], 8);
  Reply pl =
      Call("GET", base + "/reports/profit-loss?from=2023-11-01&to=2023-11-30", "usr_viewer_a");
  ASSERT_EQ(pl.status, 200) << pl.raw.body;
  EXPECT_EQ(pl.body["revenue"]["amount"], 90000);
  EXPECT_EQ(pl.body["net_profit"]["amount"], 30000);

  Reply voided = Call("POST", "/v1/transactions/" + first.body["id"].get<std::string>() + "/void",
                      "usr_owner_a", R"({"reason": "salah"})");
  ASSERT_EQ(voided.status, 200) << voided.raw.body;
  EXPECT_EQ(voided.body["status"], "voided");
  EXPECT_EQ(Call("GET", base + "/products/" + pid, "usr_owner_a").body["stock"], 10);
}

TEST_F(BusinessRoutesTest, BadBodiesNameTheField) {
  const std::string base = "/v1/businesses/" + NewBusiness(org_a_, "usr_owner_a", "Toko");
  Reply product = Call(
      "POST", base + "/products", "usr_owner_a",
      R"({"name": "Kaos", "price": {"amount": 45000, "currency": "IDR"}, "stock": 10, "unit": "pcs"})");
  const std::string pid = product.body["id"];
  auto sale_with = [&](const std::string& item) {
    return Call("POST", base + "/transactions", "usr_owner_a",
                R"({"type": "sale", "items": [)" + item + "]}");
  };
  Reply huge = sale_with(
      R"({"name": "x", "quantity": 1, "unit_price": {"amount": 99999999999999999999, "currency": "IDR"}})");
  EXPECT_EQ(huge.status, 400);
  EXPECT_EQ(FieldOf(huge), "items[0].unit_price.amount");
  Reply beyond = sale_with(
      R"({"name": "x", "quantity": 1, "unit_price": {"amount": 9223372036854775808, "currency": "IDR"}})");
  EXPECT_EQ(FieldOf(beyond), "items[0].unit_price.amount");
  Reply negative =
      sale_with(R"({"product_id": ")" + pid +
                R"(", "quantity": -2, "unit_price": {"amount": 1, "currency": "IDR"}})");
  EXPECT_EQ(negative.status, 400);
  EXPECT_EQ(FieldOf(negative), "items[0].quantity");
  Reply mixed = sale_with(R"({"product_id": ")" + pid +
                          R"(", "quantity": 1, "unit_price": {"amount": 1, "currency": "USD"}})");
  EXPECT_EQ(FieldOf(mixed), "items[0].unit_price.currency");
  Reply fractional = sale_with(
      R"({"name": "x", "quantity": 1.5, "unit_price": {"amount": 1, "currency": "IDR"}})");
  EXPECT_EQ(FieldOf(fractional), "items[0].quantity");
  Reply unknown = sale_with(
      R"({"product_id": "prd_nope", "quantity": 1, "unit_price": {"amount": 1, "currency": "IDR"}})");
  EXPECT_EQ(FieldOf(unknown), "items[0].product_id");
  Reply date = Call(
      "POST", base + "/transactions", "usr_owner_a",
      R"({"type": "sale", "occurred_at": "1999-12-31T23:00:00Z", "items": [{"name": "x", "quantity": 1, "unit_price": {"amount": 1, "currency": "IDR"}}]})");
  EXPECT_EQ(FieldOf(date), "occurred_at");
  Reply beyond_stock =
      sale_with(R"({"product_id": ")" + pid +
                R"(", "quantity": 11, "unit_price": {"amount": 1, "currency": "IDR"}})");
  EXPECT_EQ(beyond_stock.status, 409);
  EXPECT_EQ(Call("GET", base + "/transactions", "usr_owner_a").body["items"].size(), 0u);
  EXPECT_EQ(Call("GET", base + "/reports/sales?group_by=year", "usr_owner_a").status, 400);
  EXPECT_EQ(Call("GET", base + "/products?limit=201", "usr_owner_a").status, 400);
}

TEST_F(BusinessRoutesTest, ViewersReadButCannotWrite) {
  const std::string base = "/v1/businesses/" + NewBusiness(org_a_, "usr_owner_a", "Toko");
  EXPECT_EQ(Call("GET", base, "usr_viewer_a").status, 200);
  EXPECT_EQ(Call("GET", base + "/reports/low-stock", "usr_viewer_a").status, 200);
  // 403 before the body is even looked at.
  EXPECT_EQ(Call("POST", base + "/products", "usr_viewer_a", "not json").status, 403);
  EXPECT_EQ(Call("POST", base + "/transactions", "usr_viewer_a", "{}").status, 403);
  EXPECT_EQ(Call("PATCH", base, "usr_viewer_a", R"({"name": "x"})").status, 403);
  EXPECT_EQ(Call("DELETE", base, "usr_viewer_a").status, 403);
}

// Every route, addressed at organisation A's resources by a member of organisation B only,
// answers 404 — whatever the body.
TEST_F(BusinessRoutesTest, EveryRouteHidesAnotherOrganisationsResources) {
  const std::string biz = NewBusiness(org_a_, "usr_owner_a", "Toko A");
  NewBusiness(org_b_, "usr_owner_b", "Toko B");
  Reply product = Call(
      "POST", "/v1/businesses/" + biz + "/products", "usr_owner_a",
      R"({"name": "Kaos", "price": {"amount": 45000, "currency": "IDR"}, "stock": 10, "unit": "pcs"})");
  const std::string pid = product.body["id"];
  Reply sale =
      Call("POST", "/v1/businesses/" + biz + "/transactions", "usr_owner_a",
           R"({"type": "sale", "items": [{"product_id": ")" + pid +
               R"(", "quantity": 1, "unit_price": {"amount": 45000, "currency": "IDR"}}]})");
  const std::string txn = sale.body["id"];
  int checked = 0;
  for (const auto& route : router_.routes()) {
    std::string path = route->path;
    auto fill = [&](const std::string& name, const std::string& value) {
      const std::size_t at = path.find("{" + name + "}");
      if (at != std::string::npos) path.replace(at, name.size() + 2, value);
    };
    fill("org_id", org_a_);
    fill("business_id", biz);
    fill("product_id", pid);
    fill("transaction_id", txn);
    for (const std::string& body : {std::string("{}"), std::string("garbage")}) {
      Reply r = Call(route->method, path, "usr_owner_b", body);
      EXPECT_EQ(r.status, 404) << route->method << " " << path << " " << r.raw.body;
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
  EXPECT_EQ(Call("GET", "/v1/businesses/" + biz + "/products/" + pid, "usr_owner_a").body["stock"],
            9);
}

TEST_F(BusinessRoutesTest, EveryRouteIsDocumented) {
  for (const auto& route : router_.routes()) {
    EXPECT_EQ(route->tag, "Businesses") << route->path;
    EXPECT_FALSE(route->summary.empty()) << route->path;
    EXPECT_FALSE(route->operation_id.empty()) << route->path;
    ASSERT_FALSE(route->responses.empty()) << route->path;
    for (const auto& doc : route->responses) {
      if (doc.schema.empty()) continue;
      EXPECT_FALSE(json::parse(doc.schema, nullptr, false).is_discarded())
          << route->method << " " << route->path << " " << doc.status;
    }
    if (!route->request_schema.empty()) {
      EXPECT_FALSE(json::parse(route->request_schema, nullptr, false).is_discarded())
          << route->method << " " << route->path;
    }
  }
}

}  // namespace
}  // namespace milkyhoop::gateway
