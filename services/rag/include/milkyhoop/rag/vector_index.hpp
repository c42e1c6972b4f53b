#pragma once
// A per-business nearest-neighbour index of embedding vectors (hnswlib HNSW, cosine similarity).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag {

// clang-format off
struct VectorHit { std::string id; double similarity = 0; };  // in [-1, 1]
// clang-format on

// The graph as hnswlib writes it, with the ids of its labels: for snapshots, so a load does not
// insert every vector again (the costly part of a build with embeddings).
struct VectorIndexImage {
  std::size_t dimensions = 0;
  std::string graph;                                          // hnswlib's own format
  std::vector<std::pair<std::string, std::uint64_t>> labels;  // live id → label
  std::uint64_t next_label = 0;
  std::uint64_t deleted = 0;  // points marked deleted in the graph
};

class VectorIndexImpl;

// clang-format off
class VectorIndex {  // thread-safe under concurrent Upsert/Remove/Search; grows as needed
 public:
  explicit VectorIndex(std::size_t dimensions);
  std::size_t dimensions() const;
  Status Upsert(std::string_view id, std::span<const float> vector);  // kInvalidArgument on wrong size / non-finite
  void Remove(std::string_view id);
  std::optional<std::vector<float>> Get(std::string_view id) const;  // the stored unit vector
  // hnswlib reads and writes graphs through files: `scratch` is a directory for a temporary one.
  Result<VectorIndexImage> Export(const std::string& scratch) const;
  // kDataLoss when the image does not hold together (labels missing from the graph, ...).
  static Result<std::unique_ptr<VectorIndex>> Restore(const VectorIndexImage& image,
                                                     const std::string& scratch);
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
