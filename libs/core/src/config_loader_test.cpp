#include "milkyhoop/core/config_loader.hpp"

#include <gtest/gtest.h>

#include <map>

namespace milkyhoop::config {
namespace {

struct Cfg {
  std::string listen = "0.0.0.0:8000";
  std::int64_t max_body = 1024;
  bool access_log = true;
  std::vector<std::string> origins;
};

Loader MakeLoader(Cfg& c) {
  Loader l;
  l.Add(StringKey("server.listen", &c.listen, "address"));
  l.Add(IntKey("http.max_body_bytes", &c.max_body, 1, 1 << 30, "limit"));
  l.Add(BoolKey("http.access_log", &c.access_log, "log"));
  l.Add(ListKey("http.cors_origins", &c.origins, "origins"));
  return l;
}

TEST(ConfigLoaderTest, LayersOverrideInOrder) {
  Cfg c;
  Loader l = MakeLoader(c);
  ASSERT_TRUE(l.LoadTomlString("[server]\nlisten = \"127.0.0.1:9000\"\n[http]\nmax_body_bytes = "
                               "2048\ncors_origins = [\"https://a.example\"]\n",
                               "test.toml")
                  .ok());
  EXPECT_EQ(c.listen, "127.0.0.1:9000");
  EXPECT_EQ(c.max_body, 2048);
  std::map<std::string, std::string> env = {{"MILKYHOOP_HTTP_MAX_BODY_BYTES", "4096"},
                                            {"MILKYHOOP_HTTP_ACCESS_LOG", "false"}};
  ASSERT_TRUE(l.LoadEnv([&](const char* n) -> const char* {
                 auto it = env.find(n);
                 return it == env.end() ? nullptr : it->second.c_str();
               }).ok());
  EXPECT_EQ(c.max_body, 4096);
  EXPECT_FALSE(c.access_log);
  ASSERT_TRUE(l.SetFromText("server.listen", "127.0.0.1:0", "flag --listen").ok());
  EXPECT_EQ(c.listen, "127.0.0.1:0");
  EXPECT_EQ(c.origins, std::vector<std::string>{"https://a.example"});
}

TEST(ConfigLoaderTest, ErrorsNameTheKey) {
  Cfg c;
  Loader l = MakeLoader(c);
  Status s = l.LoadTomlString("[http]\nmax_body_byts = 1\n", "a.toml");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("http.max_body_byts"), std::string::npos) << s.message();

  s = l.LoadTomlString("[http]\nmax_body_bytes = \"big\"\n", "a.toml");
  EXPECT_NE(s.message().find("http.max_body_bytes"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("integer"), std::string::npos);

  s = l.LoadTomlString("[http]\nmax_body_bytes = 0\n", "a.toml");
  EXPECT_NE(s.message().find("between 1 and"), std::string::npos) << s.message();

  s = l.SetFromText("http.access_log", "maybe", "env");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("http.access_log"), std::string::npos);

  s = l.LoadTomlString("this is not toml = = =", "broken.toml");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 1"), std::string::npos) << s.message();
}

TEST(ConfigLoaderTest, EnvNames) {
  EXPECT_EQ(Loader::EnvName("http.max_body_bytes"), "MILKYHOOP_HTTP_MAX_BODY_BYTES");
}

}  // namespace
}  // namespace milkyhoop::config
