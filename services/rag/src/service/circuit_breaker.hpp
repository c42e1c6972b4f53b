#pragma once
// A circuit breaker around the embedding provider. While the provider is down every call would
// pay the client's retries and timeout (about a second with a refused connection, up to the
// timeout with a hung server); after `failure_threshold` consecutive failures the breaker opens
// and callers skip the provider at once (search answers from keywords, writes store passages
// without vectors for the backfill). After `cooldown` one caller that asks with Allow() — the
// probe — may try again (half-open); its success closes the breaker, its failure opens it for
// another cooldown. Callers that must never wait for a down provider (search, writes) look at
// Closed() only and never probe; the background backfill probes (embedding_backfill.hpp).
//
// Thread-safe; time comes from the injected clock.
#include <chrono>
#include <cstdint>
#include <mutex>

#include "milkyhoop/core/clock.hpp"

namespace milkyhoop::rag {

struct CircuitBreakerOptions {
  int failure_threshold = 2;  // consecutive failed calls (each already retried by the client)
  std::chrono::milliseconds cooldown{5000};
};

class CircuitBreaker {
 public:
  // Values of the state gauge (milkyhoop_rag_embedding_breaker_state).
  enum class State : std::uint8_t { kClosed = 0, kOpen = 1, kHalfOpen = 2 };

  CircuitBreaker(const Clock& clock, CircuitBreakerOptions options);

  // Whether the caller may call the provider now. Closed: yes. Open: no until the cooldown has
  // passed; then yes for one caller, the probe (the state turns half-open), and no for every
  // other caller until the probe reports. A probe that never reports is replaced by another
  // after a further cooldown.
  bool Allow();
  // Closed: calls are expected to work. Never starts a probe.
  bool Closed() const;
  void RecordSuccess();
  void RecordFailure();

  State state() const;
  // How long until a probe may go (at least 1 ms while not closed; 0 when closed): a client's
  // Retry-After.
  std::chrono::milliseconds RetryAfter() const;

 private:
  Clock::TimePoint now() const { return clock_.Now(); }

  const Clock& clock_;
  const CircuitBreakerOptions options_;
  mutable std::mutex mu_;
  State state_ = State::kClosed;
  int failures_ = 0;
  Clock::TimePoint retry_at_{};  // open: when a probe may go; half-open: when the probe is stale
};

}  // namespace milkyhoop::rag
