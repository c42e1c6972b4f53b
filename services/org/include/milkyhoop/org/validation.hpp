#pragma once
// Input rules of the organisation service, shared with the gateway so the edge and the service
// accept exactly the same values. Each Validate* returns kInvalidArgument naming `field`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::org {

inline constexpr std::size_t kMaxNameChars = 100;   // organisation and API key names
inline constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321 path limit
inline constexpr std::size_t kMaxBusinessIdBytes = 64;
inline constexpr std::size_t kMaxScopes = 32;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
inline constexpr std::size_t kMaxActiveApiKeysPerOrg = 100;

// Trims ASCII whitespace; then 1..kMaxNameChars Unicode characters of valid UTF-8 without
// control characters. Returns the trimmed name.
Result<std::string> ValidateName(std::string_view field, std::string_view name);

// Trims and lower-cases ASCII letters: the form invitations are matched by.
std::string NormalizeEmail(std::string_view email);
// A pragmatic address check (not RFC 5322): one '@', non-empty local part of at most 64 bytes,
// a dotted domain of letters, digits and hyphens, no spaces or control characters, at most
// kMaxEmailBytes. Returns the normalised address.
Result<std::string> ValidateEmail(std::string_view field, std::string_view email);

// "owner" | "admin" | "member" | "viewer".
Status ValidateRole(std::string_view field, std::string_view role);

// 1..kMaxScopes known permissions; duplicates are dropped, order kept.
Result<std::vector<std::string>> ValidateScopes(std::string_view field,
                                                const std::vector<std::string>& scopes);

// Empty (no limit) or 1..kMaxBusinessIdBytes of [A-Za-z0-9_-].
Status ValidateBusinessId(std::string_view field, std::string_view business_id);

// 0 → kDefaultPageSize; otherwise 1..kMaxPageSize.
Result<int> ValidatePageSize(std::string_view field, int limit);

}  // namespace milkyhoop::org
