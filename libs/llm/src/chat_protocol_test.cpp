#include "chat_protocol.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace milkyhoop::llm {
namespace {

TEST(ChatProtocolTest, BuildsAStreamingRequestAskingForUsage) {
  ChatRequest request;
  request.endpoint.model = "gpt-4o-mini";
  request.messages = {{"system", "Kamu asisten toko."}, {"user", "ada promo?"}};
  request.temperature = 0.5;
  request.max_tokens = 64;
  auto body = nlohmann::json::parse(BuildChatRequestBody(request, true));
  EXPECT_EQ(body["model"], "gpt-4o-mini");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.5);
  EXPECT_EQ(body["max_tokens"], 64);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], "ada promo?");
}

TEST(ChatProtocolTest, InvalidUtf8FromACustomerDoesNotBreakTheRequest) {
  ChatRequest request;
  request.messages = {{"user", std::string("harga \xff\xfe kopi")}};
  auto body = nlohmann::json::parse(BuildChatRequestBody(request, false));
  EXPECT_EQ(body["stream"], false);
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_NE(body["messages"][0]["content"].get<std::string>().find("kopi"), std::string::npos);
}

TEST(ChatProtocolTest, SendsAResponseFormatOnlyWhenItIsAJsonObject) {
  ChatRequest request;
  request.messages = {{"user", "jual 3 kaos"}};
  EXPECT_FALSE(
      nlohmann::json::parse(BuildChatRequestBody(request, false)).contains("response_format"));

  request.response_format = R"({"type":"json_object","schema":{"type":"object"}})";
  auto body = nlohmann::json::parse(BuildChatRequestBody(request, false));
  EXPECT_EQ(body["response_format"]["type"], "json_object");
  EXPECT_EQ(body["response_format"]["schema"]["type"], "object");

  request.response_format = "[1, 2";  // a caller's bug must not make the request malformed
  EXPECT_FALSE(
      nlohmann::json::parse(BuildChatRequestBody(request, false)).contains("response_format"));
}

TEST(ChatProtocolTest, ParsesContentFinishReasonAndUsage) {
  auto chunk = ParseStreamChunk(
      R"({"choices":[{"index":0,"delta":{"content":"Halo"},"finish_reason":null}]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->content, "Halo");
  EXPECT_EQ(chunk->finish_reason, "");
  EXPECT_FALSE(chunk->usage);

  auto last = ParseStreamChunk(
      R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->usage);
  EXPECT_EQ(last->usage->prompt_tokens, 12);
  EXPECT_EQ(last->usage->completion_tokens, 7);

  auto stop = ParseStreamChunk(R"({"choices":[{"delta":{},"finish_reason":"length"}]})");
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->finish_reason, "length");
}

TEST(ChatProtocolTest, RoleOnlyDeltaHasNoContent) {
  auto chunk = ParseStreamChunk(R"({"choices":[{"delta":{"role":"assistant"}}],"usage":null})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->content, "");
  EXPECT_FALSE(chunk->usage);
  EXPECT_FALSE(chunk->error);
}

TEST(ChatProtocolTest, RecognisesErrorsAndTheirCodes) {
  auto numeric = ParseStreamChunk(R"({"error":{"message":"boom","code":503}})");
  ASSERT_TRUE(numeric.ok());
  ASSERT_TRUE(numeric->error);
  EXPECT_EQ(numeric->error->code, 503);
  EXPECT_EQ(numeric->error->message, "boom");
  auto rate = ParseStreamChunk(R"({"error":{"message":"x","code":"rate_limit_exceeded"}})");
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(rate->error->code, 429);
  auto server = ParseStreamChunk(R"({"error":{"message":"x","type":"internal_server_error"}})");
  EXPECT_EQ(server->error->code, 500);
  auto text = ParseStreamChunk(R"({"error":"plain"})");
  EXPECT_EQ(text->error->message, "plain");
}

TEST(ChatProtocolTest, MalformedChunksAreInternal) {
  EXPECT_EQ(ParseStreamChunk("{\"choices\": [").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseStreamChunk("[1,2]").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseStreamChunk("").status().code(), StatusCode::kInternal);
}

TEST(ChatProtocolTest, ParsesACompletion) {
  auto completion = ParseCompletion(
      R"({"choices":[{"message":{"role":"assistant","content":"Ya"},"finish_reason":"stop"}],)"
      R"("usage":{"prompt_tokens":3,"completion_tokens":1}})");
  ASSERT_TRUE(completion.ok());
  EXPECT_EQ(completion->content, "Ya");
  EXPECT_EQ(completion->finish_reason, "stop");
  EXPECT_EQ(completion->usage->completion_tokens, 1);
  EXPECT_EQ(ParseCompletion(R"({"choices":[]})").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseCompletion("not json").status().code(), StatusCode::kInternal);
}

TEST(ChatProtocolTest, EstimatesTokensAsCharsOverFourRoundedUp) {
  EXPECT_EQ(EstimateTokens(0), 0);
  EXPECT_EQ(EstimateTokens(1), 1);
  EXPECT_EQ(EstimateTokens(8), 2);
  EXPECT_EQ(EstimateTokens(9), 3);
}

}  // namespace
}  // namespace milkyhoop::llm
