#pragma once
// Answers already given, per business: (knowledge version, answer language, normalised question)
// → the answer with its tier and citations. Keyed on the knowledge version, so a changed FAQ or
// document is never answered from the cache. Bounded LRU in memory; thread-safe.
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"

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
  explicit AnswerCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<CachedAnswer> Get(const AnswerKey& key);
  void Put(const AnswerKey& key, CachedAnswer answer);
  std::size_t size() const;

 private:
  static std::string Flatten(const AnswerKey& key);
  using Entry = std::pair<std::string, CachedAnswer>;

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace milkyhoop::chatbot
