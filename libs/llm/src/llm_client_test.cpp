#include "milkyhoop/llm/llm_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/scripted_upstream.hpp"

namespace milkyhoop::llm {
namespace {

using namespace std::chrono_literals;
using testing::Counter;
using testing::DeltaJson;
using testing::ScriptedUpstream;
using testing::Signal;
using testing::UpstreamConnection;

constexpr auto kWait = 10s;  // generous bound for "should happen"; tests end far sooner

// Collects what one stream hands back: the deltas (as they come), then the result.
class Collector {
 public:
  std::function<void(std::string_view)> OnDelta() {
    return [this](std::string_view delta) {
      std::lock_guard lock(mu_);
      EXPECT_FALSE(done_) << "delta after on_done";
      EXPECT_NE(std::this_thread::get_id(), caller_) << "delta on the caller's thread";
      deltas_.emplace_back(delta);
      cv_.notify_all();
    };
  }
  std::function<void(ChatResult)> OnDone() {
    return [this](ChatResult result) {
      std::lock_guard lock(mu_);
      EXPECT_FALSE(done_) << "on_done ran twice";
      EXPECT_NE(std::this_thread::get_id(), caller_) << "on_done on the caller's thread";
      done_ = true;
      result_ = std::move(result);
      cv_.notify_all();
    };
  }
  bool WaitDeltas(std::size_t n, std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return deltas_.size() >= n; });
  }
  ChatResult WaitDone(std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mu_);
    EXPECT_TRUE(cv_.wait_for(lock, timeout, [&] { return done_; })) << "on_done never ran";
    return result_.value_or(ChatResult{});
  }
  bool done() {
    std::lock_guard lock(mu_);
    return done_;
  }
  std::vector<std::string> deltas() {
    std::lock_guard lock(mu_);
    return deltas_;
  }

 private:
  std::thread::id caller_ = std::this_thread::get_id();
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> deltas_;
  bool done_ = false;
  std::optional<ChatResult> result_;
};

LlmClient::Options FastOptions() {
  LlmClient::Options options;
  options.initial_backoff = 10ms;
  options.max_backoff = 50ms;
  return options;
}

ChatRequest MakeRequest(const std::string& base_url) {
  ChatRequest request;
  request.endpoint = {base_url, "sk-test-secret-key", "smollm2"};
  request.messages = {{"system", "Jawab singkat."}, {"user", "jam brp buka kak?"}};
  request.timeout = 5s;
  request.first_token_timeout = 5s;
  return request;
}

const std::string kUsageChunk =
    R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":21,"completion_tokens":4,"total_tokens":25}})";

TEST(LlmClientTest, EachDeltaReachesTheCallerBeforeTheNextIsSent) {
  const std::vector<std::string> words = {"Buka ", "jam ", "9 ", "pagi."};
  Collector collector;
  std::atomic<bool> in_lockstep{true};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteEvent(R"({"choices":[{"index":0,"delta":{"role":"assistant"}}]})");  // role only
    for (std::size_t i = 0; i < words.size(); ++i) {
      c.WriteDelta(words[i]);
      // The next delta goes out only once the client has handed this one over.
      if (!collector.WaitDeltas(i + 1)) in_lockstep = false;
    }
    c.WriteEvent(kUsageChunk);
    c.WriteEvent("[DONE]");
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();

  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_TRUE(in_lockstep);
  EXPECT_EQ(collector.deltas(), words);
  EXPECT_EQ(result.text, "Buka jam 9 pagi.");
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_FALSE(result.usage_estimated);
  EXPECT_EQ(result.usage.prompt_tokens, 21);
  EXPECT_EQ(result.usage.completion_tokens, 4);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_GT(result.first_token_latency.count(), 0);

  auto requests = upstream.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer sk-test-secret-key");
  auto body = nlohmann::json::parse(requests[0].body);
  EXPECT_EQ(body["model"], "smollm2");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["max_tokens"], 512);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(body["messages"][1]["content"], "jam brp buka kak?");
}

TEST(LlmClientTest, ParsesAStreamSentOneByteAtATimeWithCrLf) {
  const std::string sse =
      ": keep-alive\r\n\r\n"
      "data: " +
      DeltaJson("Halo") +
      "\r\n\r\n"
      "data: " +
      DeltaJson(" kak") +
      "\r\n\r\n"
      "data: [DONE]\r\n\r\n";
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    for (char byte : sse) {  // each byte its own chunk and, with the pause, its own TCP read
      c.WriteChunk(std::string(1, byte));
      std::this_thread::sleep_for(200us);
    }
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(collector.deltas(), (std::vector<std::string>{"Halo", " kak"}));
  EXPECT_TRUE(result.usage_estimated);           // the server sent no usage
  EXPECT_EQ(result.usage.completion_tokens, 2);  // ceil(8 chars / 4)
}

TEST(LlmClientTest, ReadsAStreamThatEndsWithTheConnection) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteHead(200, {"Content-Type: text/event-stream; charset=utf-8"}, /*chunked=*/false);
    c.Write("data: " + DeltaJson("satu") + "\n\ndata: [DONE]\n\n");
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.text, "satu");
}

TEST(LlmClientTest, RefusesAPrivateUpstreamWhenAskedToWithoutConnecting) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteHead(200, {"Content-Type: text/event-stream"}, /*chunked=*/false);
    c.Write("data: " + DeltaJson("rahasia") + "\n\ndata: [DONE]\n\n");
  });
  LlmClient::Options options = FastOptions();
  options.allow_private_addresses = false;
  auto client = LlmClient::Create(options);
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kPermissionDenied) << result.status.ToString();
  EXPECT_TRUE(collector.deltas().empty());
  EXPECT_EQ(upstream.connections(), 0);
  // The same upstream with the default options: reached.
  auto open = LlmClient::Create(FastOptions());
  Collector allowed;
  open->StreamChat(MakeRequest(upstream.base_url()), allowed.OnDelta(), allowed.OnDone());
  EXPECT_TRUE(allowed.WaitDone().status.ok());
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(LlmClientTest, RetriesA429ThenSucceeds) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    if (calls++ == 0) {
      c.WriteResponse(429, "application/json", R"({"error":{"message":"slow down"}})",
                      {"Retry-After: 0"});
      return;
    }
    c.WriteStreamHead();
    c.WriteDelta("ok");
    c.WriteEvent("[DONE]");
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.text, "ok");
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(upstream.connections(), 2);
}

TEST(LlmClientTest, RetriesA503ThenSucceeds) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    if (calls++ < 2) {
      c.WriteResponse(503, "text/plain", "overloaded");
      return;
    }
    c.WriteStreamHead();
    c.WriteDelta("ok");
    c.WriteEvent("[DONE]");
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.attempts, 3);
}

TEST(LlmClientTest, A429StormEndsInResourceExhaustedAfterTheRetries) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteResponse(429, "application/json",
                    R"({"error":{"message":"Rate limit reached for sk-test-secret-key"}})",
                    {"Retry-After: 0"});
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  ChatRequest request = MakeRequest(upstream.base_url());
  request.max_retries = 2;
  client->StreamChat(request, collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(upstream.connections(), 3);
  EXPECT_NE(result.status.message().find("Rate limit reached"), std::string::npos);
  EXPECT_EQ(result.status.message().find("sk-test-secret-key"), std::string::npos)
      << "the API key leaked into the status: " << result.status.message();
  EXPECT_TRUE(collector.deltas().empty());
}

TEST(LlmClientTest, HonoursRetryAfterUpToTheCap) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteResponse(429, "application/json", "{}", {"Retry-After: 3600"});
  });
  LlmClient::Options options = FastOptions();
  options.max_backoff = 100ms;
  auto client = LlmClient::Create(options);
  Collector collector;
  ChatRequest request = MakeRequest(upstream.base_url());
  request.max_retries = 1;
  const auto start = std::chrono::steady_clock::now();
  client->StreamChat(request, collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_GE(elapsed, 100ms);  // waited as asked, but only up to the cap
  EXPECT_LT(elapsed, 3s);
}

TEST(LlmClientTest, AnErrorAfterTheFirstDeltaIsNotRetriedAndKeepsThePartialText) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("Sebagian");
    c.WriteEvent(R"({"error":{"message":"model crashed","code":500}})");
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status.message().find("model crashed"), std::string::npos);
  EXPECT_EQ(result.text, "Sebagian");
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(LlmClientTest, AnErrorEventBeforeAnyDeltaIsRetried) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    if (calls++ == 0) {
      c.WriteEvent(R"({"error":{"message":"busy","code":503}})");
    } else {
      c.WriteDelta("ok");
      c.WriteEvent("[DONE]");
    }
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.attempts, 2);
}

TEST(LlmClientTest, SlowFirstTokenEndsInDeadlineExceededWithinTheLimit) {
  Signal client_closed;
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.Write(": still thinking\n\n");
    if (c.WaitClientClosed(kWait)) client_closed.Notify();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  ChatRequest request = MakeRequest(upstream.base_url());
  request.first_token_timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  client->StreamChat(request, collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.status.code(), StatusCode::kDeadlineExceeded) << result.status.ToString();
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 1500ms);
  EXPECT_EQ(result.attempts, 1);  // no time left for another
  EXPECT_TRUE(client_closed.WaitFor(kWait)) << "the upstream connection stayed open";
}

TEST(LlmClientTest, WholeRequestTimeoutKeepsThePartialText) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    for (int i = 0; i < 100; ++i) {
      if (!c.WriteDelta("x")) return;
      std::this_thread::sleep_for(50ms);
    }
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  ChatRequest request = MakeRequest(upstream.base_url());
  request.timeout = 400ms;
  client->StreamChat(request, collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_FALSE(result.text.empty());
  EXPECT_LT(result.text.size(), 100u);
}

TEST(LlmClientTest, MalformedJsonInTheStreamIsInternal) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("awal");
    c.WriteEvent(R"({"choices": [ {"delta": )");
    c.EndChunks();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kInternal);
  EXPECT_EQ(result.text, "awal");
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(LlmClientTest, ConnectionDroppedMidStreamIsUnavailableWithThePartialText) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("Satu ");
    c.WriteDelta("dua");
    // Returning closes the socket without the chunked terminator: a dropped connection.
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kUnavailable) << result.status.ToString();
  EXPECT_EQ(result.text, "Satu dua");
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(LlmClientTest, CancelClosesTheUpstreamConnection) {
  Signal client_closed;
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("mulai");
    if (c.WaitClientClosed(kWait)) client_closed.Notify();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  auto stream =
      client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ASSERT_TRUE(collector.WaitDeltas(1));
  stream->Cancel();
  stream->Cancel();  // idempotent
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(result.text, "mulai");
  EXPECT_TRUE(client_closed.WaitFor(kWait)) << "the upstream never saw the connection close";
  stream->Cancel();  // after on_done: harmless
}

TEST(LlmClientTest, CancelFromInsideOnDeltaStopsFurtherDeltas) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    for (int i = 0; i < 50; ++i) {
      if (!c.WriteDelta("d")) return;
    }
    c.WaitClientClosed(kWait);
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  std::shared_ptr<ChatStream> stream;
  std::mutex stream_mu;
  std::atomic<int> seen{0};
  auto on_delta = collector.OnDelta();
  {
    std::lock_guard lock(stream_mu);
    stream = client->StreamChat(
        MakeRequest(upstream.base_url()),
        [&](std::string_view d) {
          on_delta(d);
          if (++seen == 1) {
            std::lock_guard lock(stream_mu);
            stream->Cancel();
          }
        },
        collector.OnDone());
  }
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(seen.load(), 1);
  EXPECT_EQ(result.text, "d");
}

TEST(LlmClientTest, RefusesStreamsBeyondTheCap) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("a");
    c.WaitClientClosed(kWait);
  });
  LlmClient::Options options = FastOptions();
  options.max_concurrent_streams = 1;
  auto client = LlmClient::Create(options);
  Collector first;
  auto stream =
      client->StreamChat(MakeRequest(upstream.base_url()), first.OnDelta(), first.OnDone());
  ASSERT_TRUE(first.WaitDeltas(1));
  Collector second;
  client->StreamChat(MakeRequest(upstream.base_url()), second.OnDelta(), second.OnDone());
  ChatResult refused = second.WaitDone(2s);
  EXPECT_EQ(refused.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.attempts, 0);
  EXPECT_FALSE(first.done());
  stream->Cancel();
  EXPECT_EQ(first.WaitDone().status.code(), StatusCode::kCancelled);
  // The slot is free again.
  Collector third;
  auto again =
      client->StreamChat(MakeRequest(upstream.base_url()), third.OnDelta(), third.OnDone());
  ASSERT_TRUE(third.WaitDeltas(1));
  again->Cancel();
  EXPECT_EQ(third.WaitDone().status.code(), StatusCode::kCancelled);
}

TEST(LlmClientTest, NonSuccessAnswerIsReportedWithItsBodyAndNotRetried) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteResponse(401, "application/json",
                    R"({"error":{"message":"Incorrect API key provided: sk-test-secret-key"}})");
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(result.status.message().find("HTTP 401"), std::string::npos);
  EXPECT_NE(result.status.message().find("Incorrect API key provided: [redacted]"),
            std::string::npos)
      << result.status.message();
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(LlmClientTest, ConnectionRefusedIsRetriedThenUnavailable) {
  std::string base_url;
  {
    ScriptedUpstream closed([](UpstreamConnection&) {});
    base_url = closed.base_url();
  }  // nothing listens there any more
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(base_url), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  EXPECT_EQ(result.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(result.attempts, 3);
}

TEST(LlmClientTest, BadBaseUrlIsInvalidArgumentOnAClientThread) {
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest("ftp://example.com/v1"), collector.OnDelta(), collector.OnDone());
  EXPECT_EQ(collector.WaitDone().status.code(), StatusCode::kInvalidArgument);
}

TEST(LlmClientTest, AServerIgnoringStreamIsReadAsOneDelta) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteResponse(
        200, "application/json",
        R"({"choices":[{"index":0,"message":{"role":"assistant","content":"utuh"},)"
        R"("finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}})");
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ChatResult result = collector.WaitDone();
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(collector.deltas(), std::vector<std::string>{"utuh"});
  EXPECT_EQ(result.usage.prompt_tokens, 5);
}

TEST(LlmClientTest, CompleteSendsANonStreamedRequest) {
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteResponse(200, "application/json",
                    R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Buka )"
                    R"(jam 9."},"finish_reason":"stop"}],"usage":{"prompt_tokens":30,)"
                    R"("completion_tokens":3}})");
  });
  auto client = LlmClient::Create(FastOptions());
  ChatResult result = client->Complete(MakeRequest(upstream.base_url()));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.text, "Buka jam 9.");
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_FALSE(result.usage_estimated);
  EXPECT_EQ(result.usage.prompt_tokens, 30);
  auto body = nlohmann::json::parse(upstream.requests().at(0).body);
  EXPECT_EQ(body["stream"], false);
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(LlmClientTest, CompleteRetriesAndTimesOut) {
  std::atomic<int> calls{0};
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    if (calls++ == 0) {
      c.WriteResponse(500, "text/plain", "oops");
      return;
    }
    c.WaitClientClosed(kWait);  // never answers
  });
  auto client = LlmClient::Create(FastOptions());
  ChatRequest request = MakeRequest(upstream.base_url());
  request.timeout = 300ms;
  ChatResult result = client->Complete(request);
  EXPECT_EQ(result.status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(result.attempts, 2);
}

TEST(LlmClientTest, CompleteFromAClientThreadIsRefusedInsteadOfDeadlocking) {
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  std::optional<ChatResult> nested;
  client->StreamChat(MakeRequest("http://127.0.0.1:1/v1"), collector.OnDelta(),
                     [&, on_done = collector.OnDone()](ChatResult result) {
                       nested = client->Complete(MakeRequest("http://127.0.0.1:1/v1"));
                       on_done(std::move(result));
                     });
  collector.WaitDone();
  ASSERT_TRUE(nested.has_value());
  EXPECT_EQ(nested->status.code(), StatusCode::kFailedPrecondition);
}

TEST(LlmClientTest, DestroyingTheClientCancelsWhatIsInFlight) {
  Signal client_closed;
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("a");
    if (c.WaitClientClosed(kWait)) client_closed.Notify();
  });
  auto client = LlmClient::Create(FastOptions());
  Collector collector;
  client->StreamChat(MakeRequest(upstream.base_url()), collector.OnDelta(), collector.OnDone());
  ASSERT_TRUE(collector.WaitDeltas(1));
  client.reset();
  EXPECT_TRUE(collector.done());  // on_done ran before the destructor returned
  EXPECT_EQ(collector.WaitDone().status.code(), StatusCode::kCancelled);
  EXPECT_TRUE(client_closed.WaitFor(kWait));
}

TEST(LlmClientTest, HoldsTwoThousandConcurrentStreamsOnOneThread) {
  constexpr int kStreams = 2000;
  Counter connected;
  ScriptedUpstream upstream([&](UpstreamConnection& c) {
    c.WriteStreamHead();
    c.WriteDelta("a");
    connected.Increment();
    // Everyone holds their stream open until all of them are connected at once.
    if (!connected.WaitAtLeast(kStreams, 60s)) return;
    c.WriteDelta("b");
    c.WriteEvent("[DONE]");
    c.EndChunks();
  });
  LlmClient::Options options = FastOptions();
  options.io_threads = 1;
  auto client = LlmClient::Create(options);
  std::mutex mu;
  std::condition_variable cv;
  int ok = 0, failed = 0;
  std::string first_error;
  for (int i = 0; i < kStreams; ++i) {
    ChatRequest request = MakeRequest(upstream.base_url());
    request.timeout = 60s;
    request.first_token_timeout = 60s;
    client->StreamChat(request, nullptr, [&](ChatResult result) {
      std::lock_guard lock(mu);
      if (result.status.ok() && result.text == "ab") {
        ++ok;
      } else {
        if (first_error.empty()) first_error = result.status.ToString() + " " + result.text;
        ++failed;
      }
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 90s, [&] { return ok + failed == kStreams; }));
  EXPECT_EQ(ok, kStreams) << first_error;
}

}  // namespace
}  // namespace milkyhoop::llm
