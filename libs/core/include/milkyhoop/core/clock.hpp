#pragma once
// Time behind an interface so tests can inject it (no sleeps in tests).
#include <atomic>
#include <chrono>

namespace milkyhoop {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  std::int64_t NowUnixMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch())
        .count();
  }
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override {
    return TimePoint(TimePoint::duration(now_.load(std::memory_order_relaxed)));
  }
  void Advance(std::chrono::system_clock::duration d) {
    now_.fetch_add(d.count(), std::memory_order_relaxed);
  }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace milkyhoop
