#pragma once
// The implementation of AuditService over its own database: appending to an organisation's
// chain (audit_log_append.cpp), listing (audit_log_list.cpp) and verifying
// (audit_log_verify.cpp).

#include <array>
#include <mutex>
#include <optional>
#include <string_view>

#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::audit {

class AuditLog final : public AuditService {
 public:
  AuditLog(sql::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<v1::ListAuditEventsResponse> ListEvents(
      const v1::ListAuditEventsRequest& request) override;
  Result<v1::VerifyChainResponse> VerifyChain(const v1::VerifyChainRequest& request) override;
  Result<v1::AppendDirectResponse> AppendDirect(const v1::AppendDirectRequest& request) override;

  // Appends `record` to its organisation's chain. With a source_event_id, at most once per id:
  // a repeat returns nullopt and changes nothing.
  Result<std::optional<v1::AuditEvent>> Append(const v1::AuditRecord& record,
                                               std::string_view source_event_id);

 private:
  // Appenders to one organisation in this process wait here instead of racing for the same seq
  // (other processes still can; the unique (org_id, seq) and a retry settle that).
  std::mutex& StripeFor(std::string_view org_id);

  sql::Database& db_;
  const Clock& clock_;
  std::array<std::mutex, 64> stripes_;
};

}  // namespace milkyhoop::audit
