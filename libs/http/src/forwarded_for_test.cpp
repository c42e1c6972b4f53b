#include "milkyhoop/http/forwarded_for.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/http/request.hpp"

namespace milkyhoop::http {
namespace {

ForwardedForMiddleware Trusting(std::vector<std::string> proxies) {
  auto networks = ParseIpNetworks(proxies, "http.trusted_proxies");
  EXPECT_TRUE(networks.ok()) << networks.status().ToString();
  return ForwardedForMiddleware(networks.ok() ? *networks : std::vector<IpNetwork>{});
}

std::string ClientOf(ForwardedForMiddleware& mw, std::string peer, std::string_view xff) {
  Request req;
  req.remote_ip = std::move(peer);
  if (!xff.empty()) req.headers = {{"X-Forwarded-For", xff}};
  EXPECT_FALSE(mw.Before(req));
  return req.remote_ip;
}

TEST(ForwardedForTest, WithoutTrustedProxiesTheHeaderIsIgnored) {
  auto mw = Trusting({});
  EXPECT_EQ(ClientOf(mw, "198.51.100.9", "203.0.113.7"), "198.51.100.9");
}

TEST(ForwardedForTest, AClientThatIsNotAProxyCannotChooseItsAddress) {
  auto mw = Trusting({"10.0.0.0/8"});
  EXPECT_EQ(ClientOf(mw, "198.51.100.9", "203.0.113.7"), "198.51.100.9");
}

TEST(ForwardedForTest, BehindTrustedProxiesTheFirstUntrustedEntryFromTheRightIsTheClient) {
  auto mw = Trusting({"10.0.0.0/8", "fd00::/8"});
  EXPECT_EQ(ClientOf(mw, "10.1.2.3", "203.0.113.7"), "203.0.113.7");
  // Two proxies in a row; a forged entry the client put first is left of its real address.
  EXPECT_EQ(ClientOf(mw, "10.1.2.3", "1.1.1.1, 203.0.113.7, 10.9.9.9"), "203.0.113.7");
  EXPECT_EQ(ClientOf(mw, "fd00::5", "2001:db8::1"), "2001:db8::1");
  // IPv4 peers of a dual-stack listener arrive IPv4-mapped.
  EXPECT_EQ(ClientOf(mw, "::ffff:10.0.0.1", "203.0.113.7"), "203.0.113.7");
}

TEST(ForwardedForTest, GarbageOrOnlyProxiesLeaveTheProxysAddress) {
  auto mw = Trusting({"10.0.0.0/8"});
  EXPECT_EQ(ClientOf(mw, "10.1.2.3", "not-an-ip"), "10.1.2.3");
  EXPECT_EQ(ClientOf(mw, "10.1.2.3", "10.0.0.7, 10.0.0.8"), "10.1.2.3");
  EXPECT_EQ(ClientOf(mw, "10.1.2.3", ""), "10.1.2.3");
}

TEST(ForwardedForTest, NetworksAreParsedStrictlyAndNamedInErrors) {
  auto ok = ParseIpNetworks({"127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "0.0.0.0/0"}, "k");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE((*ok)[1].Contains("10.255.0.1"));
  EXPECT_FALSE((*ok)[1].Contains("11.0.0.1"));
  EXPECT_TRUE((*ok)[4].Contains("8.8.8.8"));
  EXPECT_FALSE((*ok)[0].Contains("127.0.0.2"));
  for (std::string bad : {"10.0.0.0/33", "fd00::/129", "localhost", "10.0.0.0/x", "1.2.3"}) {
    auto r = ParseIpNetworks({bad}, "http.trusted_proxies");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field_errors()[0].field, "http.trusted_proxies");
    EXPECT_NE(r.status().message().find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace milkyhoop::http
