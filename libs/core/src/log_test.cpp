#include "milkyhoop/core/log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace milkyhoop::log {
namespace {

TEST(LogTest, JsonLineHasContextAndFields) {
  Init({Level::kInfo, Format::kJson, "gateway"});
  ScopedContext ctx("req-1", "trace-1");
  auto line = Render(Level::kWarn, "slow \"request\"\n", {{"route", "/v1/x"}, {"ms", 12}});
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "warn");
  EXPECT_EQ(j["service"], "gateway");
  EXPECT_EQ(j["request_id"], "req-1");
  EXPECT_EQ(j["trace_id"], "trace-1");
  EXPECT_EQ(j["msg"], "slow \"request\"\n");
  EXPECT_EQ(j["route"], "/v1/x");
  EXPECT_EQ(j["ms"], 12);
  EXPECT_TRUE(j["ts"].get<std::string>().ends_with("Z"));
}

TEST(LogTest, ServiceFieldIsNeverDuplicated) {
  Init({Level::kInfo, Format::kJson, "milkyhoop"});
  auto line = Render(Level::kInfo, "database ready", {{"service", "auth"}});
  EXPECT_EQ(line.find("\"service\"", line.find("\"service\"") + 1), std::string::npos) << line;
  EXPECT_EQ(nlohmann::json::parse(line)["service"], "auth");
}

TEST(LogTest, SecretsAreRedacted) {
  Init({Level::kInfo, Format::kJson, "auth"});
  auto line = Render(Level::kInfo, "login",
                     {{"password", "hunter2"}, {"refresh_token", "abc"}, {"Authorization", "x"}});
  EXPECT_EQ(line.find("hunter2"), std::string::npos);
  EXPECT_EQ(line.find("abc"), std::string::npos);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["password"], "[redacted]");
}

TEST(LogTest, InvalidUtf8StillGivesValidJson) {
  Init({Level::kInfo, Format::kJson, "x"});
  auto line = Render(Level::kInfo, std::string("bad \xff\xfe bytes"), {});
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(LogTest, LevelFilter) {
  Init({Level::kWarn, Format::kText, "x"});
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  Level l;
  EXPECT_TRUE(ParseLevel("debug", &l));
  EXPECT_FALSE(ParseLevel("verbose", &l));
  Init({Level::kInfo, Format::kJson, "x"});
}

}  // namespace
}  // namespace milkyhoop::log
