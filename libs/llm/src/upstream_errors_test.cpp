#include "upstream_errors.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::llm {
namespace {

using namespace std::chrono_literals;

TEST(UpstreamErrorsTest, MapsHttpStatusesToCodes) {
  EXPECT_EQ(StatusForHttp(429, "", "").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusForHttp(500, "", "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(StatusForHttp(503, "", "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(StatusForHttp(400, "", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusForHttp(401, "", "").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusForHttp(403, "", "").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusForHttp(404, "", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusForHttp(409, "", "").code(), StatusCode::kFailedPrecondition);
}

TEST(UpstreamErrorsTest, OnlyRateLimitsTimeoutsAndServerErrorsAreRetryable) {
  EXPECT_TRUE(IsRetryableHttp(429));
  EXPECT_TRUE(IsRetryableHttp(408));
  EXPECT_TRUE(IsRetryableHttp(500));
  EXPECT_TRUE(IsRetryableHttp(599));
  EXPECT_FALSE(IsRetryableHttp(400));
  EXPECT_FALSE(IsRetryableHttp(401));
  EXPECT_FALSE(IsRetryableHttp(200));
}

TEST(UpstreamErrorsTest, SummaryIsOneBoundedLineWithoutTheKey) {
  const std::string body = "{\"error\":\n  \"bad key sk-abcdef123\"}\r\n" + std::string(1000, 'x');
  const std::string summary = SummarizeBody(body, "sk-abcdef123", 60);
  EXPECT_EQ(summary.find("sk-abcdef123"), std::string::npos);
  EXPECT_NE(summary.find("[redacted]"), std::string::npos);
  EXPECT_EQ(summary.find('\n'), std::string::npos);
  EXPECT_LE(summary.size(), 63u);
  EXPECT_TRUE(summary.ends_with("..."));
}

TEST(UpstreamErrorsTest, ParsesRetryAfterSecondsAndDates) {
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // 06 Nov 1994 08:49:37
  EXPECT_EQ(ParseRetryAfter("2", now), 2000ms);
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0ms);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:40 GMT", now), 3000ms);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), 0ms);
  EXPECT_FALSE(ParseRetryAfter("", now));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_FALSE(ParseRetryAfter("-1", now));
}

TEST(UpstreamErrorsTest, RetryDelayGrowsWithJitterAndIsCapped) {
  std::minstd_rand rng(42);
  for (int i = 0; i < 100; ++i) {
    auto first = RetryDelay(1, 100ms, 2000ms, std::nullopt, rng);
    EXPECT_GE(first, 50ms);
    EXPECT_LE(first, 100ms);
    auto third = RetryDelay(3, 100ms, 2000ms, std::nullopt, rng);
    EXPECT_GE(third, 200ms);
    EXPECT_LE(third, 400ms);
    EXPECT_LE(RetryDelay(30, 100ms, 2000ms, std::nullopt, rng), 2000ms);
  }
  EXPECT_EQ(RetryDelay(1, 100ms, 2000ms, 1500ms, rng), 1500ms);     // the server's wish
  EXPECT_EQ(RetryDelay(1, 100ms, 2000ms, 3600000ms, rng), 2000ms);  // but capped
}

}  // namespace
}  // namespace milkyhoop::llm
