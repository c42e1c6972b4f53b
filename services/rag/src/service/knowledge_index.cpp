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

namespace {
std::string KeyOf(const std::string& org_id, const std::string& business_id) {
  return org_id + '\n' + business_id;
}
}  // namespace

std::shared_ptr<IndexRegistry::Slot> IndexRegistry::SlotOf(const std::string& key, bool create) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it != slots_.end()) return it->second;
  if (!create) return nullptr;
  auto slot = std::make_shared<Slot>();
  slots_.emplace(key, slot);
  return slot;
}

Result<std::shared_ptr<KnowledgeIndex>> IndexRegistry::Get(const std::string& org_id,
                                                           const std::string& business_id) {
  std::shared_ptr<Slot> slot = SlotOf(KeyOf(org_id, business_id), true);
  std::lock_guard lock(slot->mu);
  if (slot->index) return slot->index;
  MH_ASSIGN_OR_RETURN(std::vector<Passage> passages, loader_(org_id, business_id));
  auto index = std::make_shared<KnowledgeIndex>();
  for (Passage& p : passages) index->Put(std::move(p));
  slot->index = index;
  return index;
}

void IndexRegistry::IfLoaded(const std::string& org_id, const std::string& business_id,
                             const std::function<void(KnowledgeIndex&)>& apply) {
  std::shared_ptr<Slot> slot = SlotOf(KeyOf(org_id, business_id), false);
  if (!slot) return;
  std::lock_guard lock(slot->mu);
  if (slot->index) apply(*slot->index);
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
