#include "milkyhoop/httpclient/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "testing/test_server.hpp"

namespace milkyhoop::httpclient {
namespace {

using namespace std::chrono_literals;
using testing::TestPki;
using testing::TestRequest;
using testing::TestResponse;
using testing::TestServer;

std::string Base(const TestServer& s, const char* scheme = "http", const char* host = "127.0.0.1") {
  return std::string(scheme) + "://" + host + ":" + std::to_string(s.port());
}

// Echoes what it received: method, target, a few headers and the body.
void Echo(const TestRequest& req, TestResponse& res) {
  res.set("X-Method", std::string(req.method_string()));
  res.set("X-Target", std::string(req.target()));
  res.set("X-Host", std::string(req[bhttp::field::host]));
  res.set("X-Content-Type", std::string(req[bhttp::field::content_type]));
  res.set("X-Auth", std::string(req[bhttp::field::authorization]));
  res.body() = req.body();
}

ClientOptions Limits(std::size_t max_body) {
  ClientOptions o;
  o.max_response_body_bytes = max_body;
  return o;
}
ClientOptions Timeout(std::chrono::milliseconds total) {
  ClientOptions o;
  o.total_timeout = total;
  return o;
}
ClientOptions TrustOnly(const std::filesystem::path& ca_file) {
  ClientOptions o;
  o.use_system_trust_store = false;
  o.extra_ca_file = ca_file.string();
  return o;
}
Request Req(std::string method, std::string url, std::string body = {}) {
  Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  return r;
}

HttpClient MakeClient(ClientOptions options = {}) {
  auto client = HttpClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return std::move(client).value();
}

TEST(HttpClient, GetReturnsStatusHeadersAndBody) {
  TestServer server(Echo);
  auto res = MakeClient().Get(Base(server) + "/path?q=1", {{"Authorization", "Basic abc"}});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->Header("x-method"), "GET");
  EXPECT_EQ(res->Header("X-Target"), "/path?q=1");
  EXPECT_EQ(res->Header("X-Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(res->Header("X-Auth"), "Basic abc");
  EXPECT_EQ(res->Header("absent"), "");
}

TEST(HttpClient, PostFormEncodesTheBody) {
  TestServer server(Echo);
  auto res = MakeClient().PostForm(Base(server) + "/token",
                                   {{"grant_type", "authorization_code"}, {"code", "a b&c"}});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->Header("X-Method"), "POST");
  EXPECT_EQ(res->Header("X-Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(res->body, "grant_type=authorization_code&code=a+b%26c");
}

TEST(HttpClient, ErrorStatusesAreAnswersNotErrors) {
  TestServer server([](const TestRequest&, TestResponse& res) {
    res.result(bhttp::status::not_found);
    res.body() = "nope";
  });
  auto res = MakeClient().Get(Base(server) + "/x");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "nope");
}

TEST(HttpClient, DoesNotFollowRedirects) {
  std::atomic<int> hits{0};
  TestServer server([&](const TestRequest&, TestResponse& res) {
    ++hits;
    res.result(bhttp::status::found);
    res.set(bhttp::field::location, "/elsewhere");
  });
  auto res = MakeClient().Get(Base(server) + "/x");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->Header("Location"), "/elsewhere");
  EXPECT_EQ(hits.load(), 1);
}

TEST(HttpClient, ChunkedResponsesAreReadWhole) {
  TestServer server([](const TestRequest&, TestResponse& res) {
    res.chunked(true);
    res.body() = std::string(10000, 'z');
  });
  auto res = MakeClient().Get(Base(server) + "/x");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->body.size(), 10000u);
}

TEST(HttpClient, ResponseLargerThanTheLimitIsRefused) {
  TestServer server(
      [](const TestRequest&, TestResponse& res) { res.body() = std::string(5000, 'x'); });
  auto res = MakeClient(Limits(1000)).Get(Base(server) + "/x");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kResourceExhausted) << res.status().ToString();
}

TEST(HttpClient, ChunkedResponseLargerThanTheLimitIsRefused) {
  TestServer server([](const TestRequest&, TestResponse& res) {
    res.chunked(true);
    res.body() = std::string(5000, 'x');
  });
  auto res = MakeClient(Limits(1000)).Get(Base(server) + "/x");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kResourceExhausted) << res.status().ToString();
}

TEST(HttpClient, SlowServerHitsTheTotalTimeout) {
  TestServer* self = nullptr;
  TestServer server([&](const TestRequest&, TestResponse&) { self->WaitReleased(); });
  self = &server;
  const auto start = std::chrono::steady_clock::now();
  auto res = MakeClient(Timeout(300ms)).Get(Base(server) + "/hang");
  const auto took = std::chrono::steady_clock::now() - start;
  server.Release();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kDeadlineExceeded) << res.status().ToString();
  EXPECT_LT(took, 5s);
}

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  std::uint16_t port;
  {
    TestServer server(Echo);
    port = server.port();
  }
  auto res = MakeClient().Get("http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable) << res.status().ToString();
}

TEST(HttpClient, BadInputIsInvalidArgument) {
  auto client = MakeClient();
  EXPECT_EQ(client.Get("file:///etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(client.Get("http://127.0.0.1:1/", {{"X-Evil", "a\r\nInjected: 1"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client.Send(Req("BREW", "http://127.0.0.1:1/")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(HttpClient::Create(Timeout(0ms)).ok());
  ClientOptions missing_ca;
  missing_ca.extra_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpClient::Create(missing_ca).status().code(), StatusCode::kFailedPrecondition);
}

TEST(HttpClient, ConcurrentCallsAreIndependent) {
  TestServer server(Echo);
  auto client = MakeClient();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto res = client.Send(Req("POST", Base(server) + "/", std::to_string(i)));
      if (res.ok() && res->body == std::to_string(i)) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
}

class HttpsTest : public ::testing::Test {
 protected:
  void SetUp() override { ca_file_ = testing::WriteTempFile("mh_test_ca", pki_.ca_pem); }
  void TearDown() override { std::filesystem::remove(ca_file_); }

  TestPki pki_ = TestPki::Make({"localhost"}, {"127.0.0.1"});
  std::filesystem::path ca_file_;
};

TEST_F(HttpsTest, VerifiesAgainstTheGivenCaByNameAndByIp) {
  TestServer server(Echo, &pki_);
  auto client = MakeClient(TrustOnly(ca_file_));
  auto by_name = client.Get(Base(server, "https", "localhost") + "/secure");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ(by_name->Header("X-Target"), "/secure");
  auto by_ip = client.Get(Base(server, "https") + "/ip");
  ASSERT_TRUE(by_ip.ok()) << by_ip.status().ToString();
}

TEST_F(HttpsTest, UntrustedCertificateIsRefused) {
  TestServer server(Echo, &pki_);
  auto res = MakeClient().Get(Base(server, "https", "localhost") + "/");  // system store only
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(res.status().message().find("certificate verify failed"), std::string::npos)
      << res.status().message();
}

TEST_F(HttpsTest, CertificateForAnotherHostIsRefused) {
  TestPki other = TestPki::Make({"other.example"}, {});
  auto other_ca = testing::WriteTempFile("mh_test_ca_other", other.ca_pem);
  TestServer server(Echo, &other);
  auto res = MakeClient(TrustOnly(other_ca)).Get(Base(server, "https", "localhost") + "/");
  std::filesystem::remove(other_ca);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable) << res.status().ToString();
}

}  // namespace
}  // namespace milkyhoop::httpclient
