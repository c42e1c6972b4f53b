#include "audit_record_rules.hpp"

#include <algorithm>

namespace milkyhoop::audit {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when there is none.
std::size_t ValidSequenceAt(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  const bool overlong =
      (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string SanitizeText(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = ValidSequenceAt(text, i);
    const bool replace = len == 0 || text[i] == '\0';
    const std::size_t emit = replace ? 1 : len;
    if (out.size() + emit > max_bytes) break;
    if (replace) {
      out += '?';
      i += 1;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

Result<v1::AuditRecord> NormalizeRecord(const v1::AuditRecord& in, std::int64_t now_ms) {
  // An empty org_id is the user-level chain: sign-ins, sessions and MFA changes belong to a
  // user, not to an organisation, and must be audited too.
  if (in.org_id().size() > kMaxOrgIdBytes) {
    return InvalidField("record.org_id", "is not an organisation id");
  }
  if (in.action().empty()) return InvalidField("record.action", "is required");
  if (in.result() != "success" && in.result() != "failure") {
    return InvalidField("record.result", "must be success or failure");
  }
  if (in.at_ms() < 0) return InvalidField("record.at_ms", "must not be negative");
  v1::AuditRecord out;
  out.set_org_id(SanitizeText(in.org_id(), kMaxOrgIdBytes));
  out.set_actor_id(SanitizeText(in.actor_id(), kMaxFieldBytes));
  out.set_action(SanitizeText(in.action(), kMaxFieldBytes));
  out.set_target_type(SanitizeText(in.target_type(), kMaxFieldBytes));
  out.set_target_id(SanitizeText(in.target_id(), kMaxFieldBytes));
  out.set_ip(SanitizeText(in.ip(), kMaxFieldBytes));
  out.set_user_agent(SanitizeText(in.user_agent(), kMaxUserAgentBytes));
  out.set_result(in.result());
  out.set_at_ms(in.at_ms() == 0 ? now_ms : in.at_ms());
  out.set_request_id(SanitizeText(in.request_id(), kMaxFieldBytes));
  return out;
}

}  // namespace milkyhoop::audit
