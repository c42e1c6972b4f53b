#include "address_policy.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::llm {
namespace {

bool Private(const char* text) { return IsPrivateAddress(asio::ip::make_address(text)); }

TEST(AddressPolicy, RefusesTheAddressesAroundOurServer) {
  for (const char* a : {"127.0.0.1",
                        "127.255.0.9",
                        "0.0.0.0",
                        "10.1.2.3",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.168.1.10",
                        "169.254.169.254",
                        "100.64.0.1",
                        "198.18.0.5",
                        "224.0.0.1",
                        "255.255.255.255",
                        "::1",
                        "::",
                        "fe80::1",
                        "fd00::1",
                        "fc12::7",
                        "ff02::1",
                        "::ffff:127.0.0.1",
                        "::ffff:169.254.169.254",
                        "::10.0.0.1"}) {
    EXPECT_TRUE(Private(a)) << a;
  }
}

TEST(AddressPolicy, AllowsPublicAddresses) {
  for (const char* a :
       {"8.8.8.8", "1.1.1.1", "104.18.6.192", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "169.255.0.1", "2606:4700::6810:1", "2001:4860::8888", "::ffff:8.8.8.8"}) {
    EXPECT_FALSE(Private(a)) << a;
  }
}

}  // namespace
}  // namespace milkyhoop::llm
