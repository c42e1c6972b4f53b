#include "response_wire.hpp"

#include <algorithm>
#include <boost/beast/http/status.hpp>
#include <string_view>

namespace milkyhoop::http {
namespace {

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsSafeName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar);
}

bool IsSafeValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool IsReservedName(std::string_view name) {
  // Framing headers are ours to write; a handler's copy would contradict them.
  auto equals = [&](std::string_view other) {
    return name.size() == other.size() &&
           std::equal(name.begin(), name.end(), other.begin(),
                      [](char a, char b) { return (a | 0x20) == (b | 0x20); });
  };
  return equals("content-length") || equals("transfer-encoding") || equals("connection");
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

bool IsBodilessStatus(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

bool ResponseCarriesBody(const Response& response, bool head_request) {
  return !head_request && !IsBodilessStatus(response.status) && !response.body.empty();
}

std::string ResponseHead(const Response& response, int version, bool keep_alive) {
  const int status = response.status;
  std::string out;
  std::string_view reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out.reserve(384);
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ")
      .append(std::to_string(status))
      .append(" ")
      .append(reason)
      .append("\r\n");
  if (!response.content_type.empty() && IsSafeValue(response.content_type)) {
    AppendHeader(out, "Content-Type", response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (IsSafeName(name) && IsSafeValue(value) && !IsReservedName(name)) {
      AppendHeader(out, name, value);
    }
  }
  if (version == 10 && keep_alive) AppendHeader(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) AppendHeader(out, "Connection", "close");
  if (!IsBodilessStatus(status)) {
    AppendHeader(out, "Content-Length", std::to_string(response.body.size()));
  }
  out.append("\r\n");
  return out;
}

}  // namespace milkyhoop::http
