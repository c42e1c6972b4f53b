#include "verified_tokens.hpp"

#include <utility>

namespace milkyhoop::gateway {

std::optional<http::Principal> VerifiedTokens::Find(std::string_view token,
                                                    std::uint64_t key_generation,
                                                    double now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.key_generation != key_generation || now < e.valid_from || now >= e.valid_until) {
    return std::nullopt;
  }
  return e.principal;
}

void VerifiedTokens::Add(std::string_view token, Entry entry) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_entries_ && !entries_.contains(token)) entries_.clear();
  entries_.insert_or_assign(std::string(token), std::move(entry));
}

}  // namespace milkyhoop::gateway
