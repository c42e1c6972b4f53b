// https to a local server whose certificate comes from a throw-away CA: verified through the
// extra CA file, refused without it or for another host name.
#include "../../httpclient/src/testing/test_server.hpp"  // first: it includes Asio

#include <gtest/gtest.h>

#include <future>

#include "milkyhoop/llm/llm_client.hpp"
#include "testing/scripted_upstream.hpp"

namespace milkyhoop::llm {
namespace {

namespace ht = milkyhoop::httpclient::testing;
using namespace std::chrono_literals;

ht::TestHandler StreamingHandler() {
  return [](const ht::TestRequest&, ht::TestResponse& response) {
    response.result(200);
    response.set("Content-Type", "text/event-stream");
    response.body() = "data: " + testing::DeltaJson("aman") + "\n\ndata: [DONE]\n\n";
  };
}

ChatResult Stream(LlmClient& client, const std::string& base_url) {
  ChatRequest request;
  request.endpoint = {base_url, "", "m"};
  request.messages = {{"user", "hi"}};
  request.timeout = 5s;
  request.first_token_timeout = 5s;
  request.max_retries = 0;
  std::promise<ChatResult> done;
  client.StreamChat(request, nullptr, [&](ChatResult r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

TEST(LlmClientTlsTest, VerifiesTheServerAgainstTheExtraCa) {
  auto pki = ht::TestPki::Make({"localhost"}, {});
  ht::TestServer server(StreamingHandler(), &pki);
  auto ca = ht::WriteTempFile("llm-ca", pki.ca_pem);
  const std::string url = "https://localhost:" + std::to_string(server.port()) + "/v1";

  LlmClient::Options options;
  options.extra_ca_file = ca.string();
  auto trusting = LlmClient::Create(options);
  ChatResult ok = Stream(*trusting, url);
  EXPECT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.text, "aman");

  auto system_only = LlmClient::Create({});
  ChatResult refused = Stream(*system_only, url);
  EXPECT_EQ(refused.status.code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.status.message().find("certificate verify failed"), std::string::npos)
      << refused.status.message();
  EXPECT_EQ(refused.attempts, 1);  // a bad certificate is not retried
}

TEST(LlmClientTlsTest, RefusesACertificateForAnotherHost) {
  auto pki = ht::TestPki::Make({"other.example"}, {});
  ht::TestServer server(StreamingHandler(), &pki);
  auto ca = ht::WriteTempFile("llm-ca", pki.ca_pem);
  LlmClient::Options options;
  options.extra_ca_file = ca.string();
  auto client = LlmClient::Create(options);
  ChatResult result = Stream(*client, "https://localhost:" + std::to_string(server.port()) + "/v1");
  EXPECT_EQ(result.status.code(), StatusCode::kUnavailable);
}

TEST(LlmClientTlsTest, AMissingCaFileFailsHttpsRequests) {
  LlmClient::Options options;
  options.extra_ca_file = "/nonexistent/ca.pem";
  auto client = LlmClient::Create(options);
  ChatResult result = Stream(*client, "https://localhost:1/v1");
  EXPECT_EQ(result.status.code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace milkyhoop::llm
