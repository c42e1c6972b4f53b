#include "user_registered_consumer.hpp"

#include <string>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/org/validation.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "org_outbox.hpp"
#include "org_queries.hpp"

namespace milkyhoop::org {

Status UserRegisteredConsumer::Handle(const events::Event& event) {
  v1::UserRegistered user;
  if (!user.ParseFromString(event.payload)) {
    return Status(StatusCode::kDataLoss,
                  "event " + event.id + " is not a milkyhoop.org.v1.UserRegistered");
  }
  if (user.user_id().empty() || user.email().empty()) {
    MH_LOG_WARN("auth.user.registered without user id or email ignored", {"event_id", event.id});
    return Status::Ok();
  }
  const std::string email = NormalizeEmail(user.email());

  return db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const bool first_time, sql::MarkEventProcessed(tx, kOrgConsumer, event.id));
    if (!first_time) return Status::Ok();
    const std::int64_t now = clock_.NowUnixMillis();
    v1::UserProfile profile;
    profile.set_user_id(user.user_id());
    profile.set_email(email);
    profile.set_name(user.name());
    MH_TRY(UpsertUserProfile(tx, profile, now));

    // Across organisations by design: an address may be invited to several.
    MH_ASSIGN_OR_RETURN(
        sql::Rows invitations,
        tx.Query("SELECT m.id, m.org_id FROM memberships m JOIN orgs o ON o.id = m.org_id "
                 "WHERE m.status = 'invited' AND m.invite_email = $1 AND o.deleted_at IS NULL "
                 "ORDER BY m.id",
                 {email}));
    v1::AuditContext audit;
    audit.set_actor_id(user.user_id());
    audit.set_trace_id(event.trace_id);
    for (std::size_t r = 0; r < invitations.size(); ++r) {
      const std::string id = invitations.Text(r, 0);
      const std::string org_id = invitations.Text(r, 1);
      MH_ASSIGN_OR_RETURN(std::optional<v1::Member> existing,
                          FindMember(tx, org_id, user.user_id()));
      if (existing) {
        // Added directly in the meantime: the invitation has nothing left to do.
        MH_TRY(tx.Exec("DELETE FROM memberships WHERE org_id = $1 AND id = $2", {org_id, id})
                   .status());
        continue;
      }
      MH_TRY(tx.Exec("UPDATE memberships SET user_id = $3, status = 'active', invite_email = "
                     "NULL, joined_at = $4 WHERE org_id = $1 AND id = $2",
                     {org_id, id, user.user_id(), now})
                 .status());
      MH_TRY(AppendAuditRecord(tx, clock_, audit,
                               {.org_id = org_id,
                                .action = "member.joined",
                                .target_type = "member",
                                .target_id = user.user_id()}));
    }
    return Status::Ok();
  });
}

}  // namespace milkyhoop::org
