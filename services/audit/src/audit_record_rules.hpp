#pragma once
// What the audit log accepts: required fields, the result vocabulary, and field sizes. Text is
// made valid UTF-8 without NULs (PostgreSQL's TEXT refuses both) and cut at a character boundary
// rather than refused: an audit record is worth more than the tail of a user agent.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/audit/v1/audit.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::audit {

inline constexpr std::size_t kMaxOrgIdBytes = 64;
inline constexpr std::size_t kMaxUserAgentBytes = 512;
inline constexpr std::size_t kMaxFieldBytes = 200;  // every other text field

// Valid UTF-8 (each invalid byte becomes '?', as does NUL), at most max_bytes, cut between
// characters.
std::string SanitizeText(std::string_view text, std::size_t max_bytes);

// The record as it will be stored: kInvalidArgument naming "record.<field>" when org_id or
// action is missing, org_id is too long, result is not "success"/"failure" or at_ms is negative;
// at_ms 0 becomes now_ms.
Result<v1::AuditRecord> NormalizeRecord(const v1::AuditRecord& record, std::int64_t now_ms);

}  // namespace milkyhoop::audit
