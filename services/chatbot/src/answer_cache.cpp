#include "answer_cache.hpp"

#include <openssl/evp.h>

namespace milkyhoop::chatbot {
namespace {

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

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

// The business and version stay readable (an operator can see or drop one business's entries);
// the question is hashed, so keys stay short and customer text stays out of key listings.
std::string AnswerCache::SharedKey(const AnswerKey& key) {
  return "milkyhoop:answers:" + key.business_id + ":" + std::to_string(key.knowledge_version) +
         ":" + key.language + ":" + Sha256Hex(key.question);
}

std::optional<CachedAnswer> AnswerCache::Get(const AnswerKey& key) {
  const std::string k = Flatten(key);
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(k);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
  }
  std::optional<CachedAnswer> shared = GetShared(key);
  if (shared) PutLocal(k, *shared);
  return shared;
}

void AnswerCache::Put(const AnswerKey& key, CachedAnswer answer) {
  PutShared(key, answer);
  PutLocal(Flatten(key), std::move(answer));
}

void AnswerCache::PutLocal(std::string k, CachedAnswer answer) {
  if (capacity_ == 0) return;
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

std::optional<CachedAnswer> AnswerCache::GetShared(const AnswerKey& key) {
  if (!shared_) return std::nullopt;
  auto reply = shared_->Command({"GET", SharedKey(key)});
  if (!reply.ok() || reply->kind != redis::Reply::Kind::kString) return std::nullopt;
  v1::CachedAnswer stored;
  if (!stored.ParseFromString(reply->string)) return std::nullopt;
  CachedAnswer out;
  out.answer = stored.answer();
  out.tier = stored.tier();
  out.confidence = stored.confidence();
  out.citations.assign(stored.citations().begin(), stored.citations().end());
  return out;
}

void AnswerCache::PutShared(const AnswerKey& key, const CachedAnswer& answer) {
  if (!shared_) return;
  v1::CachedAnswer stored;
  stored.set_answer(answer.answer);
  stored.set_tier(answer.tier);
  stored.set_confidence(answer.confidence);
  for (const v1::Citation& c : answer.citations) *stored.add_citations() = c;
  // Best effort: a cache that cannot be written is only a cache miss later.
  (void)shared_->Command(
      {"SET", SharedKey(key), stored.SerializeAsString(), "EX", std::to_string(ttl_.count())});
}

std::size_t AnswerCache::size() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

}  // namespace milkyhoop::chatbot
