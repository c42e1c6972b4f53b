#pragma once
// Consumer of "audit.record": appends each event's AuditRecord to its organisation's chain, once
// per event id (the processed mark and the append share one transaction).

#include <memory>

#include "audit_log.hpp"
#include "milkyhoop/events/event_bus.hpp"

namespace milkyhoop::audit {

class AuditRecordConsumer {
 public:
  explicit AuditRecordConsumer(std::shared_ptr<AuditLog> log) : log_(std::move(log)) {}

  // kDataLoss for a payload that is not an AuditRecord; a record without an organisation takes
  // the event's tenant id.
  Status Handle(const events::Event& event);

 private:
  std::shared_ptr<AuditLog> log_;
};

}  // namespace milkyhoop::audit
