#include "circuit_breaker.hpp"

#include <algorithm>

namespace milkyhoop::rag {

CircuitBreaker::CircuitBreaker(const Clock& clock, CircuitBreakerOptions options)
    : clock_(clock), options_(options) {}

bool CircuitBreaker::Allow() {
  std::lock_guard lock(mu_);
  if (state_ == State::kClosed) return true;
  const auto t = now();
  if (t < retry_at_) return false;
  // Open with the cooldown over, or half-open with a probe that never reported: probe now.
  state_ = State::kHalfOpen;
  retry_at_ = t + options_.cooldown;
  return true;
}

bool CircuitBreaker::Closed() const {
  std::lock_guard lock(mu_);
  return state_ == State::kClosed;
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mu_);
  state_ = State::kClosed;
  failures_ = 0;
}

void CircuitBreaker::RecordFailure() {
  std::lock_guard lock(mu_);
  ++failures_;
  // A failed probe opens it again at once; a closed breaker after the threshold. (A failure
  // reported while open comes from a call that started before it opened: the cooldown stays.)
  if (state_ == State::kHalfOpen ||
      (state_ == State::kClosed && failures_ >= std::max(1, options_.failure_threshold))) {
    state_ = State::kOpen;
    retry_at_ = now() + options_.cooldown;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::chrono::milliseconds CircuitBreaker::RetryAfter() const {
  std::lock_guard lock(mu_);
  if (state_ == State::kClosed) return std::chrono::milliseconds(0);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(retry_at_ - now());
  return std::max(left, std::chrono::milliseconds(1));
}

}  // namespace milkyhoop::rag
