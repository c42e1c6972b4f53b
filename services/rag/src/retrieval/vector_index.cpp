#include "milkyhoop/rag/vector_index.hpp"

#include "cosine_space.hpp"  // includes hnswlib

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace milkyhoop::rag {
namespace {

constexpr std::size_t kInitialCapacity = 256;
constexpr std::size_t kM = 16;                // graph degree
constexpr std::size_t kEfConstruction = 200;  // build-time beam
constexpr std::size_t kEfSearch = 64;         // query-time beam (at least top_k)
constexpr std::size_t kRebuildMinDeleted = 256;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The unit vector of `v`, or nothing when `v` is zero or not finite.
std::optional<std::vector<float>> Normalized(std::span<const float> v) {
  double norm = 0;
  for (const float x : v) {
    if (!std::isfinite(x)) return std::nullopt;
    norm += static_cast<double>(x) * x;
  }
  if (!(norm > 0) || !std::isfinite(norm)) return std::nullopt;
  const double inv = 1.0 / std::sqrt(norm);
  std::vector<float> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i] * inv);
  return out;
}

}  // namespace

// hnswlib over unit vectors with CosineSpace: similarity = 1 − distance = cosine.
// Every upsert adds a point under a fresh label and marks the id's previous point deleted
// (hnswlib 0.6's in-place update path reads through a null pointer on empty neighbour lists);
// when deleted points outnumber the live ones, the graph is rebuilt from the live vectors.
class VectorIndexImpl {
 public:
  explicit VectorIndexImpl(std::size_t dims) : space_(dims) { Reset(kInitialCapacity); }

  void Upsert(std::string_view id, const std::vector<float>& unit) {
    EnsureCapacity();
    const hnswlib::labeltype label = next_label_++;
    graph_->addPoint(unit.data(), label);
    ids_.emplace(label, std::string(id));
    if (auto it = labels_.find(id); it != labels_.end()) {
      MarkDeleted(it->second);
      it->second = label;
    } else {
      labels_.emplace(std::string(id), label);
    }
    MaybeRebuild();
  }

  std::optional<std::vector<float>> Get(std::string_view id) const {
    auto it = labels_.find(id);
    if (it == labels_.end()) return std::nullopt;
    const auto internal = graph_->label_lookup_.at(it->second);
    const auto* data = reinterpret_cast<const float*>(graph_->getDataByInternalId(internal));
    return std::vector<float>(data, data + space_.dims());
  }

  void ExportTo(const std::string& file, VectorIndexImage& image) const {
    graph_->saveIndex(file);
    image.labels.reserve(labels_.size());
    for (const auto& [id, label] : labels_) image.labels.emplace_back(id, label);
    image.next_label = next_label_;
    image.deleted = deleted_count_;
  }

  // Replaces the graph with the one in `file`; kDataLoss (and this index unusable) when the
  // labels do not match it.
  Status RestoreFrom(const std::string& file, const VectorIndexImage& image) {
    graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(&space_, file, false, 0);
    graph_->setEf(kEfSearch);
    // A graph of other dimensions would be read past its points' ends.
    if (graph_->label_offset_ != graph_->offsetData_ + graph_->data_size_ ||
        graph_->size_data_per_element_ != graph_->label_offset_ + sizeof(hnswlib::labeltype)) {
      return Status(StatusCode::kDataLoss, "snapshot vector graph of other dimensions");
    }
    if (graph_->cur_element_count != image.labels.size() + image.deleted) {
      return Status(StatusCode::kDataLoss, "snapshot vector graph and labels differ");
    }
    for (const auto& [id, label] : image.labels) {
      auto it = graph_->label_lookup_.find(label);
      if (it == graph_->label_lookup_.end() || graph_->isMarkedDeleted(it->second) ||
          label >= image.next_label || !labels_.emplace(id, label).second) {
        return Status(StatusCode::kDataLoss, "snapshot vector labels do not match the graph");
      }
      ids_.emplace(label, id);
    }
    next_label_ = image.next_label;
    deleted_count_ = image.deleted;
    return Status::Ok();
  }

  void Remove(std::string_view id) {
    auto it = labels_.find(id);
    if (it == labels_.end()) return;
    MarkDeleted(it->second);
    labels_.erase(it);
    MaybeRebuild();
  }

  std::vector<VectorHit> Search(const std::vector<float>& unit, std::size_t top_k) const {
    std::vector<VectorHit> hits;
    if (labels_.empty() || top_k == 0) return hits;
    auto queue = graph_->searchKnn(unit.data(), top_k);
    hits.resize(queue.size());
    for (std::size_t i = hits.size(); i-- > 0;) {  // the queue pops the farthest first
      const auto& [distance, label] = queue.top();
      hits[i] =
          VectorHit{ids_.at(label), std::clamp(1.0 - static_cast<double>(distance), -1.0, 1.0)};
      queue.pop();
    }
    return hits;
  }

  std::size_t size() const { return labels_.size(); }

 private:
  void Reset(std::size_t capacity) {
    graph_ =
        std::make_unique<hnswlib::HierarchicalNSW<float>>(&space_, capacity, kM, kEfConstruction);
    graph_->setEf(kEfSearch);
  }

  void EnsureCapacity() {
    if (graph_->cur_element_count < graph_->max_elements_) return;
    graph_->resizeIndex(graph_->max_elements_ * 2);
  }

  void MarkDeleted(hnswlib::labeltype label) {
    graph_->markDelete(label);
    ids_.erase(label);
    ++deleted_count_;
  }

  // A fresh graph with the live points only (labels unchanged).
  void MaybeRebuild() {
    if (deleted_count_ < kRebuildMinDeleted || deleted_count_ <= labels_.size()) return;
    std::vector<std::pair<hnswlib::labeltype, std::vector<float>>> live;
    live.reserve(labels_.size());
    for (const auto& [id, label] : labels_) {
      const auto internal = graph_->label_lookup_.at(label);
      const auto* data = reinterpret_cast<const float*>(graph_->getDataByInternalId(internal));
      live.emplace_back(label, std::vector<float>(data, data + space_.dims()));
    }
    deleted_count_ = 0;
    Reset(std::max(kInitialCapacity, live.size() * 2));
    for (const auto& [label, v] : live) graph_->addPoint(v.data(), label);
  }

  CosineSpace space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
  std::unordered_map<std::string, hnswlib::labeltype, StringHash, std::equal_to<>> labels_;
  std::unordered_map<hnswlib::labeltype, std::string> ids_;  // live labels only
  std::size_t deleted_count_ = 0;                            // points marked deleted in graph_
  hnswlib::labeltype next_label_ = 0;
};

VectorIndex::VectorIndex(std::size_t dimensions)
    : dimensions_(std::clamp<std::size_t>(dimensions, 1, kMaxDimensions)),
      impl_(std::make_unique<VectorIndexImpl>(dimensions_)) {}

VectorIndex::~VectorIndex() = default;

std::size_t VectorIndex::dimensions() const { return dimensions_; }

Status VectorIndex::Upsert(std::string_view id, std::span<const float> vector) {
  if (vector.size() != dimensions_) {
    return InvalidArgument("vector has " + std::to_string(vector.size()) +
                           " dimensions, the index has " + std::to_string(dimensions_));
  }
  auto unit = Normalized(vector);
  if (!unit) return InvalidArgument("vector is zero or has non-finite components");
  std::lock_guard gate(writer_gate_);
  std::unique_lock lock(mutex_);
  try {
    impl_->Upsert(id, *unit);
  } catch (const std::exception& e) {  // hnswlib reports allocation failures by exceptions
    return ResourceExhausted(std::string("vector index: ") + e.what());
  }
  return Status::Ok();
}

void VectorIndex::Remove(std::string_view id) {
  std::lock_guard gate(writer_gate_);
  std::unique_lock lock(mutex_);
  impl_->Remove(id);
}

std::vector<VectorHit> VectorIndex::Search(std::span<const float> query, std::size_t top_k) const {
  if (query.size() != dimensions_) return {};
  auto unit = Normalized(query);
  if (!unit) return {};
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  return impl_->Search(*unit, std::min(top_k, kMaxTopK));
}

std::optional<std::vector<float>> VectorIndex::Get(std::string_view id) const {
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  return impl_->Get(id);
}

namespace {
// A temporary file for hnswlib, removed however the call ends.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& dir) {
    static std::atomic<std::uint64_t> counter{0};
    path_ = (std::filesystem::path(dir) /
             ("mh_hnsw_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + ".tmp"))
                .string();
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};
}  // namespace

Result<VectorIndexImage> VectorIndex::Export(const std::string& scratch) const {
  VectorIndexImage image;
  image.dimensions = dimensions_;
  ScratchFile file(scratch);
  {
    std::lock_guard gate(writer_gate_);  // hnswlib's save is not safe beside an insert
    std::shared_lock lock(mutex_);
    try {
      impl_->ExportTo(file.path(), image);
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("vector graph not saved: ") + e.what());
    }
  }
  std::ifstream in(file.path(), std::ios::binary);
  image.graph.assign(std::istreambuf_iterator<char>(in), {});
  if (!in.good() && !in.eof()) return Status(StatusCode::kInternal, "vector graph not read back");
  return image;
}

Result<std::unique_ptr<VectorIndex>> VectorIndex::Restore(const VectorIndexImage& image,
                                                          const std::string& scratch) {
  if (image.dimensions == 0 || image.dimensions > kMaxDimensions) {
    return Status(StatusCode::kDataLoss, "snapshot vector dimensions out of range");
  }
  ScratchFile file(scratch);
  {
    std::ofstream out(file.path(), std::ios::binary | std::ios::trunc);
    out.write(image.graph.data(), static_cast<std::streamsize>(image.graph.size()));
    if (!out.flush()) return Status(StatusCode::kInternal, "vector graph not written for loading");
  }
  auto index = std::make_unique<VectorIndex>(image.dimensions);
  try {
    MH_TRY(index->impl_->RestoreFrom(file.path(), image));
  } catch (const std::exception& e) {  // hnswlib's own checks of the file
    return Status(StatusCode::kDataLoss, std::string("snapshot vector graph: ") + e.what());
  }
  return index;
}

std::size_t VectorIndex::size() const {
  { std::lock_guard gate(writer_gate_); }
  std::shared_lock lock(mutex_);
  return impl_->size();
}

}  // namespace milkyhoop::rag
