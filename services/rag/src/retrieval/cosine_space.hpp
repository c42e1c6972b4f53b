#pragma once
// The hnswlib distance space of VectorIndex: unit vectors, distance 1 − dot product (so
// similarity = cosine). Our own instead of hnswlib's InnerProductSpace because hnswlib 0.6's
// hand-written SSE path prefetches one element past a neighbour list (a heap over-read that
// AddressSanitizer reports); vector_index.cpp compiles hnswlib with NO_MANUAL_VECTORIZATION
// and this space brings back a vectorised dot product.

#include <cstddef>

#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

namespace milkyhoop::rag {

// Dot product of two float arrays of `*static_cast<const size_t*>(dims)` elements.
float UnitDistance(const void* a, const void* b, const void* dims);

class CosineSpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit CosineSpace(std::size_t dims) : dims_(dims) {}
  std::size_t get_data_size() override { return dims_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &UnitDistance; }
  void* get_dist_func_param() override { return &dims_; }
  std::size_t dims() const { return dims_; }

 private:
  std::size_t dims_;
};

}  // namespace milkyhoop::rag
