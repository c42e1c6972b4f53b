#include "milkyhoop/httpclient/url.hpp"

#include <charconv>

#include <arpa/inet.h>

namespace milkyhoop::httpclient {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendEscaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string Url::Authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

Result<Url> ParseUrl(std::string_view text) {
  for (unsigned char c : text) {
    // Control characters and spaces would let a URL smuggle a header or a second request line.
    if (c <= 0x20 || c == 0x7F) return InvalidArgument("URL contains spaces or control characters");
  }
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return InvalidArgument("URL must be absolute");
  for (char c : text.substr(0, scheme_end)) {
    url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (url.scheme != "http" && url.scheme != "https") {
    return InvalidArgument("URL scheme must be http or https");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgument("URL must not carry credentials");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("URL has a malformed IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return InvalidArgument("URL has a malformed host");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return InvalidArgument("URL has no host");
  for (char& c : url.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  url.port = url.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return InvalidArgument("URL has a bad port");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  const auto fragment = tail.find('#');
  if (fragment != std::string_view::npos) tail = tail.substr(0, fragment);
  if (tail.empty()) {
    url.target = "/";
  } else if (tail.front() == '?') {
    url.target = "/" + std::string(tail);
  } else {
    url.target = std::string(tail);
  }
  url.host_is_ip = IsIpLiteral(url.host);
  return url;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      AppendEscaped(out, c);
    }
  }
  return out;
}

std::string FormEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      AppendEscaped(out, c);
    }
  }
  return out;
}

std::string EncodeParams(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += FormEncode(name);
    out += '=';
    out += FormEncode(value);
  }
  return out;
}

std::string WithQuery(std::string_view url, const Params& params) {
  std::string out(url);
  if (params.empty()) return out;
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += EncodeParams(params);
  return out;
}

}  // namespace milkyhoop::httpclient
