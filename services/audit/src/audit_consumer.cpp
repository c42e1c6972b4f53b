#include "audit_consumer.hpp"

#include <string>

namespace milkyhoop::audit {

Status AuditRecordConsumer::Handle(const events::Event& event) {
  v1::AuditRecord record;
  if (!record.ParseFromString(event.payload)) {
    return Status(StatusCode::kDataLoss,
                  "event " + event.id + " is not a milkyhoop.audit.v1.AuditRecord");
  }
  if (record.org_id().empty()) record.set_org_id(event.tenant_id);
  if (record.at_ms() == 0) record.set_at_ms(event.occurred_at_ms);
  return log_->Append(record, event.id).status();
}

}  // namespace milkyhoop::audit
