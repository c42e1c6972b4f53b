#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/org/validation.hpp"

namespace milkyhoop::gateway {
namespace {

TEST(OrgRoutesSupportTest, TimestampsAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(ParseTimestamp("2023-11-14T22:13:20.123Z"), 1700000000123);
  EXPECT_EQ(ParseTimestamp("2023-11-14T22:13:20Z"), 1700000000000);
  EXPECT_EQ(ParseTimestamp("2023-11-15T05:13:20+07:00"), 1700000000000);  // WIB
  EXPECT_EQ(ParseTimestamp("2023-11-14t22:13:20.5z"), 1700000000500);
  EXPECT_EQ(ParseTimestamp("2024-02-29T00:00:00Z"), 1709164800000);
  for (const char* bad : {"", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z",
                          "2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z",
                          "2023-11-14T22:13:20+7:00", "2023-11-14T22:13:20Zjunk", "yesterday"}) {
    EXPECT_FALSE(ParseTimestamp(bad)) << bad;
  }
}

TEST(OrgRoutesSupportTest, PageParams) {
  http::Request req;
  req.query = "limit=10&cursor=mem_abc";
  auto page = ParsePageParams(req);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->limit, 10);
  EXPECT_EQ(page->cursor, "mem_abc");
  for (const char* bad : {"limit=0", "limit=201", "limit=abc", "limit=", "limit=5x", "limit=-1"}) {
    req.query = bad;
    auto refused = ParsePageParams(req);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().field_errors().at(0).field, "limit");
  }
  req.query = "";
  EXPECT_EQ(ParsePageParams(req)->limit, 0);
}

TEST(OrgRoutesSupportTest, AuditContextIsBoundedPrintableAscii) {
  http::Request req;
  const std::string agent = "Mozilla/5.0 \xC3\xA9\x01" + std::string(600, 'x');
  req.headers = {{"User-Agent", agent}};
  req.remote_ip = "198.51.100.7";
  req.request_id = "req-9";
  req.principal = http::Principal{http::Principal::Kind::kUser, "usr_1", "", "", "", {}};
  const org::v1::AuditContext a = AuditContextFrom(req);
  EXPECT_EQ(a.actor_id(), "usr_1");
  EXPECT_EQ(a.ip(), "198.51.100.7");
  EXPECT_EQ(a.request_id(), "req-9");
  EXPECT_EQ(a.user_agent().size(), 512u);
  EXPECT_TRUE(a.user_agent().starts_with("Mozilla/5.0 ???xxx"));
}

TEST(OrgRoutesSupportTest, BodyReaderNamesEveryBadField) {
  const nlohmann::json body = {{"name", 5}, {"scopes", {"a", 1}}, {"extra", true}};
  BodyReader in(body);
  EXPECT_FALSE(in.RequiredString("name"));
  EXPECT_FALSE(in.RequiredStringArray("scopes"));
  EXPECT_FALSE(in.RequiredString("email"));
  EXPECT_EQ(in.OptionalString("business_id"), "");
  in.Check(org::ValidateRole("role", "king"));
  ASSERT_EQ(in.errors().size(), 4u);
  EXPECT_EQ(in.errors()[0].field, "name");
  EXPECT_EQ(in.errors()[1].field, "scopes");
  EXPECT_EQ(in.errors()[2].field, "email");
  EXPECT_EQ(in.errors()[3].field, "role");
  const http::Response problem = in.Problem();
  EXPECT_EQ(problem.status, 400);
  EXPECT_EQ(problem.content_type, "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(problem.body)["errors"].size(), 4u);
}

}  // namespace
}  // namespace milkyhoop::gateway
