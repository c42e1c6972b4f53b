#include "address_policy.hpp"

#include <cstdint>

namespace milkyhoop::llm {
namespace {

bool IsPrivateV4(const asio::ip::address_v4& a) {
  const std::uint32_t v = a.to_uint();
  auto in = [v](std::uint32_t net, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (v & mask) == net;
  };
  return in(0x00000000, 8) ||   // 0.0.0.0/8 "this network"
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10 carrier-grade NAT
         in(0x7F000000, 8) ||   // 127/8 loopback
         in(0xA9FE0000, 16) ||  // 169.254/16 link-local, cloud metadata
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0000000, 24) ||  // 192.0.0/24 IETF protocol assignments
         in(0xC0A80000, 16) ||  // 192.168/16
         in(0xC6120000, 15) ||  // 198.18/15 benchmarking
         in(0xE0000000, 3);     // 224/3 multicast, reserved, broadcast
}

}  // namespace

bool IsPrivateAddress(const asio::ip::address& address) {
  if (address.is_v4()) return IsPrivateV4(address.to_v4());
  const asio::ip::address_v6 a = address.to_v6();
  if (a.is_v4_mapped()) return IsPrivateV4(asio::ip::make_address_v4(asio::ip::v4_mapped, a));
  const auto bytes = a.to_bytes();
  // ::a.b.c.d (deprecated IPv4-compatible form): the first 12 bytes are zero.
  bool compat = true;
  for (int i = 0; i < 12; ++i) compat = compat && bytes[i] == 0;
  if (compat) {
    return a.is_loopback() || a.is_unspecified() ||
           IsPrivateV4(asio::ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]}));
  }
  return a.is_link_local() ||          // fe80::/10
         (bytes[0] & 0xFE) == 0xFC ||  // fc00::/7 unique-local
         a.is_multicast() ||           // ff00::/8
         a.is_site_local();            // fec0::/10 (deprecated)
}

}  // namespace milkyhoop::llm
