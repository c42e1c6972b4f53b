#pragma once
// The hash of an audit event: SHA-256 over a canonical, unambiguous encoding of its previous
// event's hash and every stored field. The encoding is versioned by its first field; changing
// it means a new version string, never a silent change (stored chains would stop verifying).
//
// Encoding: the concatenation, for each of these 16 fields in this order, of its length as a
// 4-byte big-endian unsigned integer followed by its bytes (text as UTF-8, integers as decimal
// ASCII, e.g. "42", "-1"):
//    1 "milkyhoop.audit.v1"   5 id         9 target_type   13 result
//    2 prev_hash              6 at_ms     10 target_id     14 request_id
//    3 org_id                 7 actor_id  11 ip            15 source_event_id
//    4 seq                    8 action    12 user_agent    16 recorded_at_ms
// The hash is the lowercase hex of the SHA-256 digest; the first event's prev_hash is
// kGenesisHash (64 '0').

#include <string>
#include <string_view>

#include "milkyhoop/audit/v1/audit.pb.h"

namespace milkyhoop::audit {

inline constexpr std::string_view kHashVersion = "milkyhoop.audit.v1";
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Reads every field of `event` except `hash`.
std::string CanonicalEncoding(const v1::AuditEvent& event);
std::string ComputeAuditHash(const v1::AuditEvent& event);

}  // namespace milkyhoop::audit
