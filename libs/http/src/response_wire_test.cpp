#include "response_wire.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::http {
namespace {

TEST(ResponseWire, WritesStatusLineHeadersAndContentLength) {
  Response r = Response::Json(200, R"({"ok":true})");
  r.SetHeader("X-Request-Id", "abc");
  EXPECT_EQ(ResponseHead(r, 11, true),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: abc\r\n"
            "Content-Length: 11\r\n\r\n");
  EXPECT_TRUE(ResponseCarriesBody(r, false));
}

TEST(ResponseWire, ConnectionHeaderFollowsVersionAndKeepAlive) {
  Response r = Response::Json(404, "{}");
  EXPECT_NE(ResponseHead(r, 11, false).find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(ResponseHead(r, 11, true).find("Connection:"), std::string::npos);
  EXPECT_NE(ResponseHead(r, 10, true).find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(ResponseHead(r, 10, false).find("Connection:"), std::string::npos);
  EXPECT_EQ(ResponseHead(r, 10, false).rfind("HTTP/1.0 404 Not Found\r\n", 0), 0u);
}

TEST(ResponseWire, HeadRequestKeepsLengthButSendsNoBody) {
  Response r = Response::Text(200, "hello");
  EXPECT_NE(ResponseHead(r, 11, true).find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_FALSE(ResponseCarriesBody(r, /*head_request=*/true));
}

TEST(ResponseWire, BodilessStatusesGetNoLengthAndNoBody) {
  for (int status : {101, 204, 304}) {
    Response r = Response::Text(status, "ignored");
    EXPECT_EQ(ResponseHead(r, 11, true).find("Content-Length"), std::string::npos) << status;
    EXPECT_FALSE(ResponseCarriesBody(r, false)) << status;
  }
}

TEST(ResponseWire, DropsHeadersThatCouldSplitTheResponse) {
  Response r = Response::Json(200, "{}");
  r.SetHeader("X-Evil", "a\r\nSet-Cookie: stolen=1");
  r.SetHeader("Bad Name", "v");
  r.SetHeader("X-Nul", std::string("a\0b", 3));
  r.SetHeader("X-Fine", "kept");
  const std::string head = ResponseHead(r, 11, true);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(head.find("Bad Name"), std::string::npos);
  EXPECT_EQ(head.find("X-Nul"), std::string::npos);
  EXPECT_NE(head.find("X-Fine: kept\r\n"), std::string::npos);
}

TEST(ResponseWire, FramingHeadersAreOnlyTheServers) {
  Response r = Response::Json(200, "{}");
  r.SetHeader("Content-Length", "999");
  r.SetHeader("Transfer-Encoding", "chunked");
  r.SetHeader("connection", "upgrade");
  const std::string head = ResponseHead(r, 11, true);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("chunked"), std::string::npos);
  EXPECT_EQ(head.find("upgrade"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 2\r\n"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::http
