#include "audit_hash.hpp"

#include <openssl/evp.h>

#include <cstdint>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::audit {
namespace {

void AppendField(std::string& out, std::string_view value) {
  const auto n = static_cast<std::uint32_t>(value.size());
  out += static_cast<char>((n >> 24) & 0xFF);
  out += static_cast<char>((n >> 16) & 0xFF);
  out += static_cast<char>((n >> 8) & 0xFF);
  out += static_cast<char>(n & 0xFF);
  out += value;
}

void AppendField(std::string& out, std::int64_t value) { AppendField(out, std::to_string(value)); }

}  // namespace

std::string CanonicalEncoding(const v1::AuditEvent& e) {
  const v1::AuditRecord& r = e.record();
  std::string out;
  out.reserve(256 + r.user_agent().size());
  AppendField(out, kHashVersion);
  AppendField(out, e.prev_hash());
  AppendField(out, r.org_id());
  AppendField(out, e.seq());
  AppendField(out, e.id());
  AppendField(out, r.at_ms());
  AppendField(out, r.actor_id());
  AppendField(out, r.action());
  AppendField(out, r.target_type());
  AppendField(out, r.target_id());
  AppendField(out, r.ip());
  AppendField(out, r.user_agent());
  AppendField(out, r.result());
  AppendField(out, r.request_id());
  AppendField(out, e.source_event_id());
  AppendField(out, e.recorded_at_ms());
  return out;
}

std::string ComputeAuditHash(const v1::AuditEvent& event) {
  const std::string encoded = CanonicalEncoding(event);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Fails only when OpenSSL cannot allocate; an empty hash then never verifies.
  if (EVP_Digest(encoded.data(), encoded.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

}  // namespace milkyhoop::audit
