#include "outbox_events.hpp"

#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/sql/outbox.hpp"

namespace milkyhoop::business {

Status AppendEvent(sql::Session& tx, std::string_view type, const std::string& org_id,
                   const google::protobuf::MessageLite& payload, std::int64_t now_ms) {
  sql::OutboxEvent event;
  event.id = NewId("evt_");
  event.type = std::string(type);
  event.tenant_id = org_id;
  if (!payload.SerializeToString(&event.payload)) {
    return Internal("cannot serialise the payload of event " + event.type);
  }
  event.created_at_ms = now_ms;
  return sql::AppendOutbox(tx, event);
}

Status AppendProductChanged(sql::Session& tx, const std::string& org_id, const v1::Product& product,
                            bool deleted, std::int64_t now_ms) {
  v1::ProductChanged changed;
  changed.set_org_id(org_id);
  changed.set_business_id(product.business_id());
  *changed.mutable_product() = product;
  changed.set_deleted(deleted);
  return AppendEvent(tx, kProductChangedEvent, org_id, changed, now_ms);
}

Status AppendBusinessChanged(sql::Session& tx, const v1::Business& business, bool deleted,
                             std::int64_t now_ms) {
  v1::BusinessChanged changed;
  changed.set_org_id(business.org_id());
  *changed.mutable_business() = business;
  changed.set_deleted(deleted);
  return AppendEvent(tx, kBusinessChangedEvent, business.org_id(), changed, now_ms);
}

}  // namespace milkyhoop::business
