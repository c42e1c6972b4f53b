#include "service_plan.hpp"

#include <gtest/gtest.h>

#include "app_config.hpp"

namespace milkyhoop::app {
namespace {

ServicePlan Plan(std::vector<std::string> services) {
  auto plan = ServicePlan::From(services);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : ServicePlan{};
}

TEST(ServicePlanTest, AllHostsEverythingAndCallsNothingRemote) {
  ServicePlan plan = Plan({"all"});
  EXPECT_TRUE(plan.all_in_one());
  EXPECT_TRUE(plan.hosts("gateway"));
  for (auto s : kServiceNames) {
    EXPECT_TRUE(plan.hosts(s)) << s;
    EXPECT_FALSE(plan.remote(s)) << s;
  }
  EXPECT_FALSE(plan.serves_grpc());
  EXPECT_FALSE(plan.splits_events());
}

TEST(ServicePlanTest, NamingEveryServiceIsTheAllInOneShape) {
  std::vector<std::string> every = {"gateway"};
  for (auto s : kServiceNames) every.emplace_back(s);
  EXPECT_TRUE(Plan(every).all_in_one());
  every.pop_back();
  EXPECT_FALSE(Plan(every).all_in_one());
}

TEST(ServicePlanTest, AGatewayCallsEveryServiceRemotelyButSecurity) {
  ServicePlan plan = Plan({"gateway"});
  EXPECT_FALSE(plan.serves_grpc());
  EXPECT_FALSE(plan.splits_events());
  for (auto s : {"auth", "org", "audit", "business", "rag", "chatbot", "assistant"}) {
    EXPECT_TRUE(plan.remote(s)) << s;
    EXPECT_EQ(plan.first_caller(s), "gateway");
  }
  EXPECT_FALSE(plan.remote("security"));  // the gateway seals nothing
}

TEST(ServicePlanTest, AServiceProcessReachesWhatItsServicesCall) {
  ServicePlan plan = Plan({"chatbot", "assistant"});
  EXPECT_TRUE(plan.serves_grpc());
  EXPECT_TRUE(plan.splits_events());
  EXPECT_TRUE(plan.remote("rag"));
  EXPECT_TRUE(plan.remote("business"));
  EXPECT_TRUE(plan.remote("security"));
  EXPECT_EQ(plan.first_caller("security"), "chatbot");
  EXPECT_EQ(plan.first_caller("org"), "assistant");
  EXPECT_FALSE(plan.remote("auth"));
  EXPECT_FALSE(plan.remote("chatbot"));
  EXPECT_EQ(plan.hosted_services(), (std::vector<std::string_view>{"chatbot", "assistant"}));
}

TEST(ServicePlanTest, UnknownOrMixedNamesAreRefusedByKey) {
  for (auto bad : std::vector<std::vector<std::string>>{{"chatbott"}, {"all", "rag"}, {}}) {
    auto plan = ServicePlan::From(bad);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().field_errors()[0].field, "server.services");
  }
}

Status FinishToml(const std::string& toml) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  if (Status s = l.LoadTomlString(toml, "t.toml"); !s.ok()) return s;
  return Finish(c);
}

TEST(ServicePlanConfigTest, ARemoteServiceNeedsItsAddress) {
  Status s = FinishToml(
      "[server]\nservices = [\"gateway\"]\n"
      "[remote]\nauth = \"127.0.0.1:9001\"\norg = \"127.0.0.1:9001\"\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "remote.audit");
  EXPECT_NE(s.message().find("gateway"), std::string::npos) << s.message();
}

TEST(ServicePlanConfigTest, SplitEventsNeedKafka) {
  const std::string identity =
      "[server]\nservices = [\"security\", \"auth\", \"org\", \"audit\"]\n";
  Status s = FinishToml(identity);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "events.bus");
  EXPECT_TRUE(
      FinishToml(identity +
                 "[events]\nbus = \"kafka\"\nkafka_bootstrap_servers = \"127.0.0.1:9092\"\n")
          .ok());
}

TEST(ServicePlanConfigTest, AGatewayApartFromAuthCannotUseHs256) {
  std::string gateway = "[server]\nservices = [\"gateway\"]\n[remote]\n";
  for (auto s : {"auth", "org", "audit", "business", "rag", "chatbot", "assistant"}) {
    gateway += std::string(s) + " = \"10.0.0.2:9000\"\n";
  }
  EXPECT_TRUE(FinishToml(gateway).ok());
  Status s = FinishToml(gateway + "[auth]\njwt_algorithm = \"HS256\"\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "auth.jwt_algorithm");
}

TEST(ServicePlanConfigTest, RemoteAddressesAreCheckedWhenLoaded) {
  Status s = FinishToml("[remote]\nrag = \"no-port\"\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("remote.rag"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace milkyhoop::app
