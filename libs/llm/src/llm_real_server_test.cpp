// Against a real OpenAI-compatible server nobody on this team wrote: llama-cpp-python's server
// with SmolLM2-135M-Instruct (scripts/llm-setup.sh, scripts/llm-start.sh). Runs only when
// MILKYHOOP_TEST_LLM_URL is set, e.g. http://127.0.0.1:58080/v1 (MILKYHOOP_TEST_LLM_MODEL
// overrides the model name, MILKYHOOP_TEST_LLM_KEY supplies an API key).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "milkyhoop/core/testing/test_env.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::llm {
namespace {

using milkyhoop::testing::TestEnv;
using milkyhoop::testing::UnusedLoopbackPort;

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class RealLlmServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = TestEnv("MILKYHOOP_TEST_LLM_URL");
    if (base_url_.empty()) {
      GTEST_SKIP() << "MILKYHOOP_TEST_LLM_URL is not set (start one with scripts/llm-start.sh)";
    }
    client_ = LlmClient::Create({});
  }

  ChatRequest Request(int max_tokens) const {
    ChatRequest request;
    request.endpoint = {base_url_, TestEnv("MILKYHOOP_TEST_LLM_KEY"),
                        TestEnv("MILKYHOOP_TEST_LLM_MODEL", "smollm2")};
    request.messages = {{"system", "You are the assistant of a small coffee shop. Answer briefly."},
                        {"user", "Write three short sentences about coffee."}};
    request.max_tokens = max_tokens;
    request.temperature = 0.0;
    // A 135M model on two shared cores: roomy limits, this is not a latency test.
    request.timeout = 60s;
    request.first_token_timeout = 30s;
    return request;
  }

  std::string base_url_;
  std::unique_ptr<LlmClient> client_;
};

// What a stream delivered, with the time each delta arrived.
struct Recorded {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> deltas;
  std::vector<Clock::time_point> at;
  std::optional<ChatResult> result;
};

TEST_F(RealLlmServerTest, StreamsDeltasIncrementallyAndReportsUsage) {
  Recorded rec;
  client_->StreamChat(
      Request(32),
      [&](std::string_view delta) {
        std::lock_guard lock(rec.mu);
        rec.deltas.emplace_back(delta);
        rec.at.push_back(Clock::now());
      },
      [&](ChatResult result) {
        std::lock_guard lock(rec.mu);
        rec.result = std::move(result);
        rec.cv.notify_all();
      });
  std::unique_lock lock(rec.mu);
  ASSERT_TRUE(rec.cv.wait_for(lock, 90s, [&] { return rec.result.has_value(); }));
  const ChatResult& result = *rec.result;
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_GE(rec.deltas.size(), 2u);
  // Incremental: the deltas came over a stretch of time, not all in one read at the end.
  EXPECT_GT(rec.at.back() - rec.at.front(), 1ms);
  std::string joined;
  for (const auto& d : rec.deltas) joined += d;
  EXPECT_EQ(joined, result.text);
  EXPECT_FALSE(result.text.empty());
  EXPECT_GT(result.usage.prompt_tokens, 0);
  EXPECT_GT(result.usage.completion_tokens, 0);
  EXPECT_FALSE(result.finish_reason.empty());
  EXPECT_EQ(result.attempts, 1);
  EXPECT_GT(result.first_token_latency.count(), 0);
  std::printf(
      "[ real ] %zu deltas, first token after %.1f ms, stream %.1f ms, usage %d+%d%s, "
      "finish %s\n",
      rec.deltas.size(), result.first_token_latency.count() / 1000.0,
      std::chrono::duration<double, std::milli>(rec.at.back() - rec.at.front()).count(),
      result.usage.prompt_tokens, result.usage.completion_tokens,
      result.usage_estimated ? " (estimated)" : "", result.finish_reason.c_str());
}

TEST_F(RealLlmServerTest, CompleteReturnsTextAndUsage) {
  ChatResult result = client_->Complete(Request(16));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_FALSE(result.text.empty());
  EXPECT_FALSE(result.usage_estimated);  // a non-streamed answer always carries usage
  EXPECT_GT(result.usage.prompt_tokens, 0);
  EXPECT_GT(result.usage.completion_tokens, 0);
}

TEST_F(RealLlmServerTest, CancelMidStreamEndsWithCancelled) {
  Recorded rec;
  std::shared_ptr<ChatStream> stream = client_->StreamChat(
      Request(200),
      [&](std::string_view delta) {
        std::lock_guard lock(rec.mu);
        rec.deltas.emplace_back(delta);
        rec.cv.notify_all();
      },
      [&](ChatResult result) {
        std::lock_guard lock(rec.mu);
        rec.result = std::move(result);
        rec.cv.notify_all();
      });
  std::unique_lock lock(rec.mu);
  ASSERT_TRUE(rec.cv.wait_for(lock, 60s, [&] { return !rec.deltas.empty() || rec.result; }));
  ASSERT_FALSE(rec.result.has_value()) << rec.result->status.ToString();
  lock.unlock();
  const auto cancelled_at = Clock::now();
  stream->Cancel();
  lock.lock();
  ASSERT_TRUE(rec.cv.wait_for(lock, 10s, [&] { return rec.result.has_value(); }));
  EXPECT_EQ(rec.result->status.code(), StatusCode::kCancelled);
  EXPECT_FALSE(rec.result->text.empty());
  EXPECT_LT(Clock::now() - cancelled_at, 2s);
}

}  // namespace
}  // namespace milkyhoop::llm
