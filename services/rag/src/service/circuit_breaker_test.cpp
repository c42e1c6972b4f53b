#include "circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  CircuitBreaker breaker_{clock_, CircuitBreakerOptions{.failure_threshold = 3, .cooldown = 5s}};

  void Open() {
    for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
    ASSERT_EQ(breaker_.state(), State::kOpen);
  }
};

TEST_F(CircuitBreakerTest, OpensAfterThresholdConsecutiveFailuresOnly) {
  EXPECT_TRUE(breaker_.Closed());
  EXPECT_EQ(breaker_.RetryAfter(), 0ms);
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  breaker_.RecordSuccess();  // not consecutive: the count starts again
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.Allow());
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.Closed());
  EXPECT_FALSE(breaker_.Allow());
  EXPECT_EQ(breaker_.RetryAfter(), 5000ms);
}

TEST_F(CircuitBreakerTest, AfterTheCooldownOneProbeGoesAndItsSuccessCloses) {
  Open();
  clock_.Advance(4999ms);
  EXPECT_FALSE(breaker_.Allow());
  EXPECT_EQ(breaker_.RetryAfter(), 1ms);
  clock_.Advance(1ms);
  EXPECT_TRUE(breaker_.Allow());  // the probe
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_FALSE(breaker_.Allow());  // everybody else waits for it
  EXPECT_FALSE(breaker_.Closed());
  breaker_.RecordSuccess();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.Allow());
  // Closed again with a fresh count: one failure does not reopen it.
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kClosed);
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensForAnotherCooldown) {
  Open();
  clock_.Advance(5s);
  ASSERT_TRUE(breaker_.Allow());
  breaker_.RecordFailure();  // one failure is enough while probing
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(5s);
  EXPECT_TRUE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, AProbeThatNeverReportsIsReplacedAfterACooldown) {
  Open();
  clock_.Advance(5s);
  ASSERT_TRUE(breaker_.Allow());
  clock_.Advance(4s);
  EXPECT_FALSE(breaker_.Allow());
  clock_.Advance(1s);
  EXPECT_TRUE(breaker_.Allow());
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
}

TEST_F(CircuitBreakerTest, LateFailuresWhileOpenDoNotExtendTheCooldown) {
  Open();
  clock_.Advance(3s);
  breaker_.RecordFailure();  // a call that started before it opened
  clock_.Advance(2s);
  EXPECT_TRUE(breaker_.Allow());
}

}  // namespace
}  // namespace milkyhoop::rag
