#pragma once
// Event types the business service emits (payloads: proto/milkyhoop/business/v1/events.proto),
// with the organisation as the event's tenant.

namespace milkyhoop::business {

inline constexpr char kTransactionPostedEvent[] =
    "business.transaction.posted";  // v1::TransactionPosted
inline constexpr char kTransactionVoidedEvent[] =
    "business.transaction.voided";  // v1::TransactionVoided
inline constexpr char kProductChangedEvent[] = "business.product.changed";  // v1::ProductChanged
inline constexpr char kBusinessChangedEvent[] =
    "business.business.changed";  // v1::BusinessChanged

}  // namespace milkyhoop::business
