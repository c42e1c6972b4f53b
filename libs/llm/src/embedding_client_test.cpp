#include "milkyhoop/llm/embedding_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/scripted_upstream.hpp"

namespace milkyhoop::llm {
namespace {

using nlohmann::json;
using testing::ScriptedUpstream;
using testing::UpstreamConnection;

// Each text "t<N>" embeds as [N, N/2, 1]; the items come back in reverse order (with their
// index), as a server is allowed to do.
void AnswerEmbeddings(UpstreamConnection& c, std::size_t dimension = 3) {
  auto body = json::parse(c.request().body);
  json data = json::array();
  const auto& input = body["input"];
  for (std::size_t i = input.size(); i-- > 0;) {
    const double n = std::stod(input[i].get<std::string>().substr(1));
    json vector = {n, n / 2, 1.0};
    while (vector.size() < dimension) vector.push_back(0.0);
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", vector}});
  }
  c.WriteResponse(200, "application/json", json{{"object", "list"}, {"data", data}}.dump());
}

std::vector<std::string> Texts(int n) {
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) texts.push_back("t" + std::to_string(i));
  return texts;
}

EmbeddingOptions Options(const ScriptedUpstream& upstream) {
  EmbeddingOptions options;
  options.endpoint = {upstream.base_url(), "sk-embed", "nomic-embed-text"};
  options.batch_size = 2;
  return options;
}

TEST(EmbedTest, BatchesAndKeepsTheOrder) {
  ScriptedUpstream upstream([](UpstreamConnection& c) { AnswerEmbeddings(c); });
  auto vectors = Embed(Options(upstream), Texts(5));
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  ASSERT_EQ(vectors->size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ((*vectors)[i], (std::vector<float>{float(i), float(i) / 2, 1.0f})) << i;
  }
  auto requests = upstream.requests();
  ASSERT_EQ(requests.size(), 3u);  // 2 + 2 + 1
  EXPECT_EQ(requests[0].target, "/v1/embeddings");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer sk-embed");
  auto first = json::parse(requests[0].body);
  EXPECT_EQ(first["model"], "nomic-embed-text");
  EXPECT_EQ(first["input"], json({"t0", "t1"}));
  EXPECT_EQ(json::parse(requests[2].body)["input"], json({"t4"}));
}

TEST(EmbedTest, DimensionMismatchBetweenBatchesIsAnError) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream(
      [&](UpstreamConnection& c) { AnswerEmbeddings(c, calls++ == 0 ? 3 : 4); });
  auto vectors = Embed(Options(upstream), Texts(4));
  EXPECT_EQ(vectors.status().code(), StatusCode::kInternal);
  EXPECT_NE(vectors.status().message().find("dimension"), std::string::npos);
}

TEST(EmbedTest, DimensionMismatchWithinABatchIsAnError) {
  ScriptedUpstream upstream([](UpstreamConnection& c) {
    c.WriteResponse(200, "application/json",
                    R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1]}]})");
  });
  EXPECT_EQ(Embed(Options(upstream), Texts(2)).status().code(), StatusCode::kInternal);
}

TEST(EmbedTest, RetriesAServerErrorThenSucceeds) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    if (calls++ == 0) {
      c.WriteResponse(502, "text/plain", "bad gateway", {"Retry-After: 0"});
      return;
    }
    AnswerEmbeddings(c);
  });
  auto vectors = Embed(Options(upstream), Texts(2));
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  EXPECT_EQ(vectors->size(), 2u);
  EXPECT_EQ(upstream.connections(), 2);
}

TEST(EmbedTest, PersistentServerErrorsEndInUnavailable) {
  ScriptedUpstream upstream([](UpstreamConnection& c) {
    c.WriteResponse(500, "application/json", R"({"error":{"message":"down"}})", {"Retry-After: 0"});
  });
  EmbeddingOptions options = Options(upstream);
  options.max_retries = 2;
  auto vectors = Embed(options, Texts(1));
  EXPECT_EQ(vectors.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(vectors.status().message().find("down"), std::string::npos);
  EXPECT_EQ(upstream.connections(), 3);
}

TEST(EmbedTest, ClientErrorsAreNotRetried) {
  ScriptedUpstream upstream(
      [](UpstreamConnection& c) { c.WriteResponse(400, "application/json", "{}"); });
  EXPECT_EQ(Embed(Options(upstream), Texts(1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(EmbedTest, SlowServerIsDeadlineExceeded) {
  ScriptedUpstream upstream(
      [](UpstreamConnection& c) { c.WaitClientClosed(std::chrono::seconds(10)); });
  EmbeddingOptions options = Options(upstream);
  options.timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(Embed(options, Texts(1)).status().code(), StatusCode::kDeadlineExceeded);
}

TEST(EmbedTest, RejectsMalformedAnswers) {
  const std::vector<std::string> bodies = {
      "not json",
      R"({"data":[]})",                                       // too few
      R"({"data":[{"index":0,"embedding":[1,"x"]}]})",        // not numbers
      R"({"data":[{"index":0,"embedding":[1e39]}]})",         // not a float
      R"({"data":[{"index":5,"embedding":[1]}]})",            // bad index
      R"({"data":[{"index":0,"embedding":[]}]})",             // empty
      R"({"data":[{"index":0,"embedding":[[1,2],[3,4]]}]})",  // per token
  };
  for (const auto& body : bodies) {
    ScriptedUpstream upstream(
        [&](UpstreamConnection& c) { c.WriteResponse(200, "application/json", body); });
    EXPECT_EQ(Embed(Options(upstream), Texts(1)).status().code(), StatusCode::kInternal) << body;
  }
}

TEST(EmbedTest, RejectsBadInputWithoutCallingTheServer) {
  ScriptedUpstream upstream([](UpstreamConnection& c) { AnswerEmbeddings(c); });
  EmbeddingOptions options = Options(upstream);
  EXPECT_EQ(Embed(options, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Embed(options, {"a", ""}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Embed(options, {std::string(kMaxEmbeddingTextBytes + 1, 'a')}).status().code(),
            StatusCode::kInvalidArgument);
  options.batch_size = 0;
  EXPECT_EQ(Embed(options, {"a"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(upstream.connections(), 0);
}

}  // namespace
}  // namespace milkyhoop::llm
