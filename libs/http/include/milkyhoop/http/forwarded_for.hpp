#pragma once
// The client's address behind a load balancer. Every connection then comes from the balancer,
// and the client's address is in X-Forwarded-For, which any client can also write. So the
// header is read only on a connection from a trusted proxy (http.trusted_proxies), right to left,
// skipping the trusted proxies' own entries; the first other address is the client's, and it
// replaces Request::remote_ip for everything after (rate limits, audit, access log). Without
// trusted proxies (the default) the header is ignored.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/middleware.hpp"

namespace milkyhoop::http {

// An address or a CIDR block, IPv4 or IPv6 ("10.0.0.0/8", "::1", "fd00::/8").
struct IpNetwork {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
  int prefix_bits = 128;
  bool Contains(std::string_view address) const;
  bool Contains(const std::array<std::uint8_t, 16>& address) const;
};

// Parses `entries`; an error names `key` and the bad entry.
Result<std::vector<IpNetwork>> ParseIpNetworks(const std::vector<std::string>& entries,
                                               std::string_view key);

class ForwardedForMiddleware final : public Middleware {
 public:
  explicit ForwardedForMiddleware(std::vector<IpNetwork> trusted_proxies)
      : trusted_(std::move(trusted_proxies)) {}
  std::optional<Response> Before(Request& request) override;

 private:
  bool Trusted(const std::array<std::uint8_t, 16>& address) const;
  std::vector<IpNetwork> trusted_;
};

}  // namespace milkyhoop::http
