#include "milkyhoop/http/forwarded_for.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>

#include "milkyhoop/http/request.hpp"

namespace milkyhoop::http {
namespace {

// An entry of X-Forwarded-For is an address; anything longer is not one.
constexpr std::size_t kMaxEntries = 32;

std::optional<std::array<std::uint8_t, 16>> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IpNetwork::Contains(std::string_view address) const {
  auto parsed = ParseAddress(address);
  return parsed && Contains(*parsed);
}

bool IpNetwork::Contains(const std::array<std::uint8_t, 16>& address) const {
  int bits = prefix_bits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address[i] & mask) != (bytes[i] & mask)) return false;
  }
  return true;
}

Result<std::vector<IpNetwork>> ParseIpNetworks(const std::vector<std::string>& entries,
                                               std::string_view key) {
  std::vector<IpNetwork> out;
  for (const std::string& entry : entries) {
    std::string_view text = Trim(entry);
    auto bad = [&](std::string why) {
      return InvalidField(std::string(key), "'" + entry + "': " + why);
    };
    std::string_view address = text;
    std::optional<int> prefix;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
      address = text.substr(0, slash);
      std::string_view digits = text.substr(slash + 1);
      int value = -1;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
        return bad("the prefix length must be a number");
      }
      prefix = value;
    }
    auto parsed = ParseAddress(address);
    if (!parsed) return bad("not an IPv4 or IPv6 address or CIDR block");
    const bool v4 = address.find(':') == std::string_view::npos;
    const int max_bits = v4 ? 32 : 128;
    const int bits = prefix.value_or(max_bits);
    if (bits < 0 || bits > max_bits) {
      return bad("the prefix length must be 0-" + std::to_string(max_bits));
    }
    out.push_back({*parsed, v4 ? 96 + bits : bits});
  }
  return out;
}

// Each address is parsed once, then compared with every trusted network.
bool ForwardedForMiddleware::Trusted(const std::array<std::uint8_t, 16>& address) const {
  for (const IpNetwork& n : trusted_) {
    if (n.Contains(address)) return true;
  }
  return false;
}

std::optional<Response> ForwardedForMiddleware::Before(Request& request) {
  if (trusted_.empty()) return std::nullopt;
  const auto peer = ParseAddress(request.remote_ip);
  if (!peer || !Trusted(*peer)) return std::nullopt;
  std::string_view header = request.Header("x-forwarded-for");
  std::size_t seen = 0;
  // Right to left: each proxy appends the address it was reached from.
  while (!header.empty() && seen++ < kMaxEntries) {
    const std::size_t comma = header.rfind(',');
    std::string_view entry =
        Trim(comma == std::string_view::npos ? header : header.substr(comma + 1));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(0, comma);
    const auto address = ParseAddress(entry);
    if (!address) return std::nullopt;  // garbage: keep the proxy's own address
    if (!Trusted(*address)) {
      request.remote_ip = std::string(entry);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace milkyhoop::http
