#pragma once
// Access tokens the authenticator has verified, with the principal they carry and the time
// window their claims are valid in. A client sends the same token with every request until it
// expires; finding it here skips decoding the token and parsing its JSON, which otherwise cost
// more than the rest of the request. Entries belong to one generation of the key set (a
// rotated-out key's tokens stop being found at once), and the window is checked on every use.
// Bounded: a full cache starts over. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "milkyhoop/http/principal.hpp"

namespace milkyhoop::gateway {

class VerifiedTokens {
 public:
  struct Entry {
    std::uint64_t key_generation = 0;
    // Seconds since the epoch, clock skew included: valid while valid_from <= now < valid_until.
    double valid_from = 0;
    double valid_until = 0;
    http::Principal principal;
  };

  explicit VerifiedTokens(std::size_t max_entries = 4096) : max_entries_(max_entries) {}

  std::optional<http::Principal> Find(std::string_view token, std::uint64_t key_generation,
                                      double now) const;
  void Add(std::string_view token, Entry entry);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mu_
};

}  // namespace milkyhoop::gateway
