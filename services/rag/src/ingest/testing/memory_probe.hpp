#pragma once
// Peak resident memory of this process, for tests that assert ingestion stays bounded.

#include <cstddef>

namespace milkyhoop::rag::testing {

class MemoryProbe {
 public:
  // Resets the kernel's peak-RSS mark (when allowed) and records the current RSS as baseline.
  MemoryProbe();
  // How far the peak rose above the baseline, in bytes.
  std::size_t PeakGrowth() const;
  // False when the peak could not be reset: PeakGrowth may then include an earlier peak of this
  // process (it over-reports, never under-reports).
  bool reset_peak() const { return reset_; }

 private:
  std::size_t baseline_ = 0;
  bool reset_ = false;
};

// True in builds with AddressSanitizer, whose allocator keeps freed memory in quarantine, so
// peak RSS no longer reflects what the code holds.
constexpr bool kUnderAsan =
#if defined(__SANITIZE_ADDRESS__)
    true;
#else
    false;
#endif

}  // namespace milkyhoop::rag::testing
