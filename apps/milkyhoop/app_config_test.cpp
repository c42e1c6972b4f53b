#include "app_config.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::app {
namespace {

TEST(AppConfigTest, ParsesListenAddresses) {
  std::string host;
  std::uint16_t port = 1;
  ASSERT_TRUE(ParseListen("127.0.0.1:0", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListen("[::1]:8443", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8443);
  ASSERT_TRUE(ParseListen(":9000", &host, &port).ok());
  EXPECT_EQ(host, "0.0.0.0");
  Status s = ParseListen("localhost:99999", &host, &port);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "server.listen");
  EXPECT_FALSE(ParseListen("8000", &host, &port).ok());
}

TEST(AppConfigTest, DefaultsAreTheEmbeddedShape) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  ASSERT_TRUE(Finish(c).ok());
  EXPECT_EQ(c.listen_port, 8000);
  EXPECT_EQ(c.server.data_dir, "./data");
  EXPECT_EQ(c.database.driver, "sqlite");
}

TEST(AppConfigTest, PostgresNeedsADsnAndTheErrorNamesIt) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  ASSERT_TRUE(l.LoadTomlString("[database]\ndriver = \"postgres\"\n", "t.toml").ok());
  Status s = Finish(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("database.dsn"), std::string::npos);
  Status bad = l.LoadTomlString("[log]\nlevel = \"loud\"\n", "t.toml");
  EXPECT_NE(bad.message().find("log.level"), std::string::npos) << bad.message();
}

TEST(AppConfigTest, TheAssistantsLlmStepIsValidatedByKey) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  EXPECT_TRUE(c.assistant.llm_url.empty()) << "rules only by default";
  ASSERT_TRUE(
      l.LoadTomlString("[assistant]\nllm_url = \"http://127.0.0.1:11434/v1\"\n", "t.toml").ok());
  Status s = Finish(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "assistant.llm_model");
  for (const char* bad :
       {"[assistant]\nllm_url = \"ftp://x\"\n", "[assistant]\nllm_response_format = \"xml\"\n",
        "[assistant]\nllm_timeout_ms = 0\n"}) {
    Status refused = l.LoadTomlString(bad, "t.toml");
    EXPECT_NE(refused.message().find("assistant.llm_"), std::string::npos) << refused.message();
  }
}

TEST(AppConfigTest, SharedRateLimitsNeedAValidRedisUrl) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  EXPECT_EQ(c.ratelimit.backend, "memory");
  ASSERT_TRUE(l.LoadTomlString("[ratelimit]\nbackend = \"redis\"\n", "t.toml").ok());
  Status s = Finish(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "redis.url");
  EXPECT_NE(l.LoadTomlString("[redis]\nurl = \"redis://host:99999\"\n", "t.toml")
                .message()
                .find("redis.url"),
            std::string::npos);
  EXPECT_NE(l.LoadTomlString("[ratelimit]\nredis_failure = \"maybe\"\n", "t.toml")
                .message()
                .find("ratelimit.redis_failure"),
            std::string::npos);
  ASSERT_TRUE(l.LoadTomlString("[redis]\nurl = \"redis://127.0.0.1:6379/1\"\n", "t.toml").ok());
  EXPECT_TRUE(Finish(c).ok());
}

TEST(AppConfigTest, TheKafkaBusNeedsItsBrokers) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  EXPECT_EQ(c.events.bus, "memory");
  ASSERT_TRUE(l.LoadTomlString("[events]\nbus = \"kafka\"\n", "t.toml").ok());
  Status s = Finish(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "events.kafka_bootstrap_servers");
  EXPECT_NE(l.LoadTomlString("[events]\nbus = \"rabbit\"\n", "t.toml").message().find("events.bus"),
            std::string::npos);
  EXPECT_NE(l.LoadTomlString("[events]\nkafka_topic_prefix = \"a b\"\n", "t.toml")
                .message()
                .find("events.kafka_topic_prefix"),
            std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::app

namespace milkyhoop::app {
namespace {

TEST(AppConfigTest, TrustedProxiesAreCheckedByKey) {
  AppConfig c;
  config::Loader l;
  DeclareKeys(l, c);
  ASSERT_TRUE(
      l.LoadTomlString("[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n", "t.toml").ok());
  EXPECT_TRUE(Finish(c).ok());
  AppConfig bad;
  config::Loader l2;
  DeclareKeys(l2, bad);
  ASSERT_TRUE(l2.LoadTomlString("[http]\ntrusted_proxies = [\"10.0.0.0/40\"]\n", "t.toml").ok());
  Status s = Finish(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "http.trusted_proxies");
}

}  // namespace
}  // namespace milkyhoop::app

namespace milkyhoop::app {
namespace {

TEST(AppConfigTest, SchemaPrefixesAreValidatedByKey) {
  for (const char* good : {"", "t1a2b_", "tenant_a_"}) {
    AppConfig c;
    config::Loader l;
    DeclareKeys(l, c);
    EXPECT_TRUE(l.SetFromText("database.schema_prefix", good, "test").ok()) << good;
  }
  for (const char* bad : {"1abc", "Upper", "dash-ed", "a_very_long_prefix_over_20"}) {
    AppConfig c;
    config::Loader l;
    DeclareKeys(l, c);
    Status s = l.SetFromText("database.schema_prefix", bad, "test");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("database.schema_prefix"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace milkyhoop::app
