#pragma once
// Answers already given, per business: (knowledge version, answer language, normalised question)
// → the answer with its tier and citations. Keyed on the knowledge version, so a changed FAQ or
// document is never answered from the cache. Bounded LRU in memory; with a Redis client, Redis
// is a second level shared by every process (entries expire after `ttl`), so an answer one
// replica paid the LLM for is free on the others. Redis down: the memory level alone serves.
// Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::chatbot {

struct CachedAnswer {
  std::string answer;
  int tier = 0;
  double confidence = 0;
  std::vector<v1::Citation> citations;
};

struct AnswerKey {
  std::string business_id;
  std::int64_t knowledge_version = 0;
  std::string language;
  std::string question;  // normalised
};

class AnswerCache {
 public:
  explicit AnswerCache(std::size_t capacity, redis::RedisClient* shared = nullptr,
                       std::chrono::seconds ttl = std::chrono::hours(24))
      : capacity_(capacity), shared_(shared), ttl_(ttl) {}

  std::optional<CachedAnswer> Get(const AnswerKey& key);
  void Put(const AnswerKey& key, CachedAnswer answer);
  std::size_t size() const;

 private:
  static std::string Flatten(const AnswerKey& key);
  static std::string SharedKey(const AnswerKey& key);
  std::optional<CachedAnswer> GetShared(const AnswerKey& key);
  void PutShared(const AnswerKey& key, const CachedAnswer& answer);
  void PutLocal(std::string key, CachedAnswer answer);
  using Entry = std::pair<std::string, CachedAnswer>;

  const std::size_t capacity_;
  redis::RedisClient* const shared_;
  const std::chrono::seconds ttl_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace milkyhoop::chatbot
