#include "answer_cache.hpp"

namespace milkyhoop::chatbot {

std::string AnswerCache::Flatten(const AnswerKey& key) {
  // The unit separator cannot occur in ids or normalised text.
  std::string k = key.business_id;
  k += '\x1f';
  k += std::to_string(key.knowledge_version);
  k += '\x1f';
  k += key.language;
  k += '\x1f';
  k += key.question;
  return k;
}

std::optional<CachedAnswer> AnswerCache::Get(const AnswerKey& key) {
  const std::string k = Flatten(key);
  std::lock_guard lock(mu_);
  auto it = index_.find(k);
  if (it == index_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void AnswerCache::Put(const AnswerKey& key, CachedAnswer answer) {
  if (capacity_ == 0) return;
  std::string k = Flatten(key);
  std::lock_guard lock(mu_);
  auto it = index_.find(k);
  if (it != index_.end()) {
    it->second->second = std::move(answer);
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.emplace_front(k, std::move(answer));
  index_.emplace(std::move(k), order_.begin());
  while (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

std::size_t AnswerCache::size() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

}  // namespace milkyhoop::chatbot
