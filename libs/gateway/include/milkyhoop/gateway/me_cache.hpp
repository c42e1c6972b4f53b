#pragma once
// The rendered body of GET /v1/auth/me per user, for the process that hosts the auth and
// organisation services beside the gateway. /me is what a client polls; answered from here it
// costs no database read.
//
// Fresh while the services' commit epoch is unchanged (any write to the user or organisation
// databases advances it, so this process never serves a /me older than its own writes) and
// for at most `ttl` (other processes sharing those databases are not seen by the epoch).
// Bounded: a full cache starts over. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "milkyhoop/core/clock.hpp"

namespace milkyhoop::gateway {

struct MeCacheOptions {
  std::chrono::milliseconds ttl{1000};
  std::size_t max_entries = 10'000;
};

class MeCache {
 public:
  // `epoch` reads the services' commit epoch; `clock` must outlive the cache.
  MeCache(std::function<std::uint64_t()> epoch, const Clock& clock, MeCacheOptions options = {});

  // Take before reading what the body is rendered from, and hand it to Put.
  std::uint64_t Epoch() const { return epoch_(); }
  std::optional<std::string> Get(std::string_view user_id) const;
  void Put(std::string_view user_id, std::uint64_t epoch_before_read, std::string body);

 private:
  struct Entry {
    std::uint64_t epoch;
    Clock::TimePoint expires;
    std::string body;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const std::function<std::uint64_t()> epoch_;
  const Clock& clock_;
  const MeCacheOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mu_
};

}  // namespace milkyhoop::gateway
