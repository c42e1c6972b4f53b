#pragma once
// Event types the organisation service consumes and emits; payloads are the messages of
// proto/milkyhoop/org/v1/events.proto (and milkyhoop.audit.v1.AuditRecord for "audit.record").

namespace milkyhoop::org {

// Consumed. Payload milkyhoop.org.v1.UserRegistered, emitted by the auth service.
inline constexpr char kUserRegisteredEvent[] = "auth.user.registered";

// Emitted, with the organisation as the event's tenant.
inline constexpr char kOrgCreatedEvent[] = "org.created";            // v1.OrgCreated
inline constexpr char kOrgDeletedEvent[] = "org.deleted";            // v1.OrgDeleted
inline constexpr char kMemberRemovedEvent[] = "org.member.removed";  // v1.MemberRemoved
inline constexpr char kApiKeyRevokedEvent[] = "org.apikey.revoked";  // v1.ApiKeyRevoked
// Every change, for the audit log: milkyhoop.audit.v1.AuditRecord.
inline constexpr char kAuditRecordEvent[] = "audit.record";

// The consumer (group) name of the organisation service on the bus and in processed_events.
inline constexpr char kOrgConsumer[] = "org";

}  // namespace milkyhoop::org
