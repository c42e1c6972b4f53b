#include "knowledge_index.hpp"

#include <algorithm>

namespace milkyhoop::rag {

KnowledgeIndex::KnowledgeIndex() = default;

void KnowledgeIndex::Put(Passage passage) {
  IndexEntry entry{passage.entry_id, passage.title, passage.text, passage.boost};
  std::vector<float> embedding = std::move(passage.embedding);
  passage.embedding.clear();
  {
    std::unique_lock lock(mu_);
    auto [it, inserted] = passages_.insert_or_assign(passage.entry_id, passage);
    if (inserted) by_source_[passage.source_type + ':' + passage.source_id].push_back(it->first);
    if (!embedding.empty()) {
      if (!vectors_) vectors_ = std::make_shared<VectorIndex>(embedding.size());
      // A vector of another dimension (the model changed) is left out of vector search; the
      // passage stays searchable by keyword.
      if (embedding.size() == vectors_->dimensions()) {
        (void)vectors_->Upsert(passage.entry_id, embedding);
      }
    } else if (vectors_) {
      vectors_->Remove(passage.entry_id);
    }
  }
  keyword_.Upsert(entry);
}

void KnowledgeIndex::Remove(const std::string& entry_id) {
  {
    std::unique_lock lock(mu_);
    auto it = passages_.find(entry_id);
    if (it == passages_.end()) return;
    auto& ids = by_source_[it->second.source_type + ':' + it->second.source_id];
    ids.erase(std::remove(ids.begin(), ids.end(), entry_id), ids.end());
    passages_.erase(it);
    if (vectors_) vectors_->Remove(entry_id);
  }
  keyword_.Remove(entry_id);
}

void KnowledgeIndex::RemoveSource(const std::string& source_type, const std::string& source_id) {
  std::vector<std::string> ids;
  {
    std::unique_lock lock(mu_);
    auto it = by_source_.find(source_type + ':' + source_id);
    if (it == by_source_.end()) return;
    ids = std::move(it->second);
    by_source_.erase(it);
    for (const std::string& id : ids) {
      passages_.erase(id);
      if (vectors_) vectors_->Remove(id);
    }
  }
  for (const std::string& id : ids) keyword_.Remove(id);
}

std::shared_ptr<const VectorIndex> KnowledgeIndex::vectors() const {
  std::shared_lock lock(mu_);
  return vectors_;
}

std::optional<Passage> KnowledgeIndex::Find(const std::string& entry_id) const {
  std::shared_lock lock(mu_);
  auto it = passages_.find(entry_id);
  if (it == passages_.end()) return std::nullopt;
  return it->second;
}

std::size_t KnowledgeIndex::size() const {
  std::shared_lock lock(mu_);
  return passages_.size();
}

Result<KnowledgeIndexImage> KnowledgeIndex::Export(const std::string& scratch) const {
  KnowledgeIndexImage image;
  image.seq = applied_seq();
  image.keyword = keyword_.Export();
  std::shared_lock lock(mu_);
  image.passages.reserve(image.keyword.entries.size());
  for (const AnalyzedTerms& e : image.keyword.entries) image.passages.push_back(passages_.at(e.id));
  if (vectors_) {
    MH_ASSIGN_OR_RETURN(image.vectors, vectors_->Export(scratch));
  }
  return image;
}

Result<std::shared_ptr<KnowledgeIndex>> KnowledgeIndex::Restore(KnowledgeIndexImage image,
                                                                const std::string& scratch) {
  if (image.passages.size() != image.keyword.entries.size()) {
    return Status(StatusCode::kDataLoss, "snapshot passages and keyword entries differ");
  }
  auto index = std::make_shared<KnowledgeIndex>();
  for (std::size_t i = 0; i < image.passages.size(); ++i) {
    Passage& p = image.passages[i];
    if (p.entry_id != image.keyword.entries[i].id) {
      return Status(StatusCode::kDataLoss, "snapshot passages and keyword entries differ");
    }
    image.keyword.entries[i].boost = p.boost;
    std::vector<float> embedding = std::move(p.embedding);
    p.embedding.clear();
    if (!embedding.empty() && !image.vectors) {
      if (!index->vectors_) index->vectors_ = std::make_shared<VectorIndex>(embedding.size());
      if (embedding.size() == index->vectors_->dimensions()) {
        MH_TRY(index->vectors_->Upsert(p.entry_id, embedding));
      }
    }
    index->by_source_[p.source_type + ':' + p.source_id].push_back(p.entry_id);
    std::string id = p.entry_id;
    index->passages_.emplace(std::move(id), std::move(p));
  }
  if (image.vectors) {
    MH_ASSIGN_OR_RETURN(std::unique_ptr<VectorIndex> vectors,
                        VectorIndex::Restore(*image.vectors, scratch));
    for (const auto& [id, label] : image.vectors->labels) {
      if (!index->passages_.contains(id)) {
        return Status(StatusCode::kDataLoss, "snapshot vector of an unknown passage");
      }
    }
    index->vectors_ = std::move(vectors);
  }
  MH_TRY(index->keyword_.Restore(image.keyword));
  index->set_applied_seq(image.seq);
  index->set_snapshot_seq(image.seq);
  return index;
}

namespace {
std::string KeyOf(const std::string& org_id, const std::string& business_id) {
  return org_id + '\n' + business_id;
}
}  // namespace

Status IndexRegistry::WithSlot(const std::string& org_id, const std::string& business_id,
                               bool create,
                               const std::function<Status(std::shared_ptr<KnowledgeIndex>&)>& fn) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mu_);
    const std::string key = KeyOf(org_id, business_id);
    auto it = slots_.find(key);
    if (it != slots_.end()) {
      slot = it->second;
    } else if (create) {
      slot = std::make_shared<Slot>();
      slot->org_id = org_id;
      slot->business_id = business_id;
      slots_.emplace(key, slot);
    } else {
      return Status::Ok();
    }
  }
  std::lock_guard lock(slot->mu);
  Status s = fn(slot->index);
  slot->published.store(slot->index);
  return s;
}

std::shared_ptr<KnowledgeIndex> IndexRegistry::Peek(const std::string& org_id,
                                                    const std::string& business_id) const {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(KeyOf(org_id, business_id));
    if (it == slots_.end()) return nullptr;
    slot = it->second;
  }
  return slot->published.load();
}

std::vector<IndexRegistry::Business> IndexRegistry::Loaded() const {
  std::lock_guard lock(mu_);
  std::vector<Business> out;
  out.reserve(slots_.size());
  for (const auto& [key, slot] : slots_) out.push_back({slot->org_id, slot->business_id});
  return out;
}

void IndexRegistry::Forget(const std::string& org_id, const std::string& business_id) {
  std::lock_guard lock(mu_);
  slots_.erase(KeyOf(org_id, business_id));
}

std::size_t IndexRegistry::loaded() const {
  std::lock_guard lock(mu_);
  return slots_.size();
}

}  // namespace milkyhoop::rag
