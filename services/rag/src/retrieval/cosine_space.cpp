#include "cosine_space.hpp"

#include <cstring>

namespace milkyhoop::rag {

float UnitDistance(const void* a_ptr, const void* b_ptr, const void* dims_ptr) {
  const std::size_t n = *static_cast<const std::size_t*>(dims_ptr);
  const auto* a = static_cast<const float*>(a_ptr);
  const auto* b = static_cast<const float*>(b_ptr);
  // Eight independent lanes in a GCC/Clang vector type: the compiler emits SIMD for the target
  // (SSE2 at least on x86-64) without reassociation flags.
  using Lanes = float __attribute__((vector_size(32)));
  Lanes sum = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    Lanes x, y;
    std::memcpy(&x, a + i, sizeof(x));  // unaligned loads
    std::memcpy(&y, b + i, sizeof(y));
    sum += x * y;
  }
  float dot = 0;
  for (int l = 0; l < 8; ++l) dot += sum[l];
  for (; i < n; ++i) dot += a[i] * b[i];
  return 1.0f - dot;
}

}  // namespace milkyhoop::rag
