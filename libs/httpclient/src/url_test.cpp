#include "milkyhoop/httpclient/url.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::httpclient {
namespace {

TEST(ParseUrl, SplitsSchemeHostPortTarget) {
  auto url = ParseUrl("https://Accounts.Google.com/o/oauth2/v2/auth?x=1#frag");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "accounts.google.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/o/oauth2/v2/auth?x=1");
  EXPECT_FALSE(url->host_is_ip);
  EXPECT_EQ(url->Authority(), "accounts.google.com");
}

TEST(ParseUrl, DefaultsAndLiterals) {
  auto a = ParseUrl("http://127.0.0.1:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->target, "/");
  EXPECT_EQ(a->port, 8080);
  EXPECT_TRUE(a->host_is_ip);
  EXPECT_EQ(a->Authority(), "127.0.0.1:8080");
  auto b = ParseUrl("http://[::1]:9000/x");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_TRUE(b->host_is_ip);
  EXPECT_EQ(b->Authority(), "[::1]:9000");
  auto c = ParseUrl("http://example.com?q=1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->target, "/?q=1");
}

TEST(ParseUrl, RefusesWhatCouldBeAbused) {
  for (const char* bad :
       {"ftp://x/", "//x/", "http://", "http://user:pw@host/", "http://h:0/", "http://h:70000/",
        "http://h:8x/", "http://h/a b", "http://h/\r\nX: y", "relative/path"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
}

TEST(Encoding, PercentAndForm) {
  EXPECT_EQ(PercentEncode("a b/c?d=é~"), "a%20b%2Fc%3Fd%3D%C3%A9~");
  EXPECT_EQ(FormEncode("a b&c"), "a+b%26c");
  EXPECT_EQ(EncodeParams({{"grant_type", "authorization_code"}, {"x y", "1+1"}}),
            "grant_type=authorization_code&x+y=1%2B1");
  EXPECT_EQ(WithQuery("https://h/p", {{"a", "1"}}), "https://h/p?a=1");
  EXPECT_EQ(WithQuery("https://h/p?z=0", {{"a", "1"}}), "https://h/p?z=0&a=1");
  EXPECT_EQ(WithQuery("https://h/p", {}), "https://h/p");
}

}  // namespace
}  // namespace milkyhoop::httpclient
