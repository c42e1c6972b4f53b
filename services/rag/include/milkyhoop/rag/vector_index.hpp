#pragma once
// A per-business nearest-neighbour index of embedding vectors (hnswlib HNSW, cosine similarity).

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag {

// clang-format off
struct VectorHit { std::string id; double similarity = 0; };  // in [-1, 1]
// clang-format on

class VectorIndexImpl;

// clang-format off
class VectorIndex {  // thread-safe under concurrent Upsert/Remove/Search; grows as needed
 public:
  explicit VectorIndex(std::size_t dimensions);
  std::size_t dimensions() const;
  Status Upsert(std::string_view id, std::span<const float> vector);  // kInvalidArgument on wrong size / non-finite
  void Remove(std::string_view id);
  std::optional<std::vector<float>> Get(std::string_view id) const;  // the stored unit vector
  std::vector<VectorHit> Search(std::span<const float> query, std::size_t top_k) const;
  std::size_t size() const;
  // clang-format on

  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  static constexpr std::size_t kMaxDimensions = 8192;
  static constexpr std::size_t kMaxTopK = 1000;

 private:
  std::size_t dimensions_;
  // Readers share mutex_, writers own it. glibc's rwlock prefers readers, so a writer first
  // takes writer_gate_ and holds it while waiting: new readers pass the gate (briefly) before
  // mutex_, so a steady stream of searches cannot starve Upsert/Remove.
  mutable std::shared_mutex mutex_;
  mutable std::mutex writer_gate_;
  std::unique_ptr<VectorIndexImpl> impl_;
};

}  // namespace milkyhoop::rag
