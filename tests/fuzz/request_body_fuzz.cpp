// Fuzzes what every route does with untrusted bytes before its own checks: the HTTP/1.1
// request parser with the server's header and body limits, the JSON object decoding of a body
// (ParseJsonBodyOrProblem), percent-decoding of path and query parts, and multipart/form-data
// decoding. Invariants: no crash or sanitizer report; a refused body is a 400 or 415 problem; an
// accepted JSON body is an object that serialises and parses back to itself; every multipart
// part lies inside the body.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/multipart.hpp"
#include "milkyhoop/http/request.hpp"

namespace {

namespace bhttp = boost::beast::http;
using milkyhoop::http::Request;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "request_body_fuzz invariant broken: %s\n", what);
  __builtin_trap();
}

void CheckJsonBody(std::string_view content_type, std::string_view body) {
  Request request;
  request.headers.emplace_back("Content-Type", content_type);
  request.body = body;
  nlohmann::json parsed;
  auto problem = milkyhoop::http::ParseJsonBodyOrProblem(request, &parsed);
  if (problem) {
    if (problem->status != 400 && problem->status != 415) Fail("a refused body is not 400/415");
    return;
  }
  if (!parsed.is_object()) Fail("an accepted body is not an object");
  const std::string text = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const nlohmann::json again = nlohmann::json::parse(text, nullptr, false);
  if (again.is_discarded()) Fail("a re-serialised body does not parse");
  // Invalid UTF-8 is replaced when serialised, so only valid text must round-trip exactly.
  if (parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore) == text &&
      again != parsed) {
    Fail("a body does not round-trip");
  }
}

void CheckMultipart(std::string_view content_type, std::string_view body) {
  auto parts = milkyhoop::http::ParseMultipart(content_type, body);
  if (!parts.ok()) return;
  for (const auto& part : *parts) {
    if (part.data.data() < body.data() ||
        part.data.data() + part.data.size() > body.data() + body.size()) {
      Fail("a multipart part points outside the body");
    }
    if (part.name.empty()) Fail("a multipart part without a name was accepted");
  }
}

// The server's parser configuration: headers up to 8 KiB, bodies up to 64 KiB here.
void CheckRawRequest(std::string_view wire) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
  if (ec || !parser.is_done()) return;
  const auto& msg = parser.get();
  const std::string target(msg.target());
  const std::size_t q = target.find('?');
  (void)milkyhoop::http::PercentDecode(std::string_view(target).substr(0, q), false);
  if (q != std::string::npos) {
    (void)milkyhoop::http::PercentDecode(std::string_view(target).substr(q + 1), true);
  }
  const std::string content_type(msg[bhttp::field::content_type]);
  CheckJsonBody(content_type, msg.body());
  CheckMultipart(content_type, msg.body());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      CheckJsonBody("application/json", input);
      break;
    case 1: {
      // The first line is the Content-Type header value (its boundary), the rest the body.
      const std::size_t nl = input.find('\n');
      if (nl == std::string_view::npos) return 0;
      CheckMultipart(input.substr(0, nl), input.substr(nl + 1));
      break;
    }
    default:
      CheckRawRequest(input);
  }
  return 0;
}
