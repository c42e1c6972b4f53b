#include "milkyhoop/gateway/me_cache.hpp"

#include <utility>

namespace milkyhoop::gateway {

MeCache::MeCache(std::function<std::uint64_t()> epoch, const Clock& clock, MeCacheOptions options)
    : epoch_(std::move(epoch)), clock_(clock), options_(options) {}

std::optional<std::string> MeCache::Get(std::string_view user_id) const {
  const std::uint64_t now_epoch = epoch_();
  const Clock::TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = entries_.find(user_id);
  if (it == entries_.end() || it->second.epoch != now_epoch || now >= it->second.expires) {
    return std::nullopt;
  }
  return it->second.body;
}

void MeCache::Put(std::string_view user_id, std::uint64_t epoch_before_read, std::string body) {
  // Rendered from a read that a commit may have overtaken: the next Get sees the new epoch.
  if (epoch_before_read != epoch_() || options_.max_entries == 0) return;
  const Clock::TimePoint expires = clock_.Now() + options_.ttl;
  std::lock_guard lock(mu_);
  if (entries_.size() >= options_.max_entries && !entries_.contains(user_id)) entries_.clear();
  entries_.insert_or_assign(std::string(user_id),
                            Entry{epoch_before_read, expires, std::move(body)});
}

}  // namespace milkyhoop::gateway
