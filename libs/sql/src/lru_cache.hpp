#pragma once
// A small least-recently-used map from SQL text to a prepared statement, so a connection keeps
// its hot statements prepared without growing without bound when callers build SQL dynamically.

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace milkyhoop::sql::internal {

template <typename V>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // The value for `key`, marked most recently used; nullptr when absent.
  V* Find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->value;
  }

  // Makes room for one more entry: removes and returns the least recently used value when the
  // cache is full, so the caller can release what it holds (e.g. DEALLOCATE on the server).
  std::optional<V> EvictIfFull() {
    if (order_.size() < capacity_) return std::nullopt;
    Entry& last = order_.back();
    std::optional<V> evicted(std::move(last.value));
    index_.erase(std::string_view(last.key));
    order_.pop_back();
    return evicted;
  }

  // Inserts a key that is not present (call EvictIfFull first).
  V& Insert(std::string key, V value) {
    order_.push_front(Entry{std::move(key), std::move(value)});
    // The map's key views the string inside the list node, which never moves.
    index_.emplace(std::string_view(order_.front().key), order_.begin());
    return order_.front().value;
  }

  void Erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    auto node = it->second;
    index_.erase(it);
    order_.erase(node);
  }

  void Clear() {
    index_.clear();
    order_.clear();
  }
  std::size_t size() const { return order_.size(); }

 private:
  struct Entry {
    std::string key;
    V value;
  };
  std::size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace milkyhoop::sql::internal
