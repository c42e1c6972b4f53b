// OrgService: organisations themselves.

#include <string>
#include <vector>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/org/validation.hpp"
#include "org_queries.hpp"
#include "org_service_impl.hpp"
#include "slug.hpp"

namespace milkyhoop::org {

Result<v1::CreateOrgResponse> OrgServiceImpl::CreateOrg(const v1::CreateOrgRequest& request) {
  MH_ASSIGN_OR_RETURN(const std::string name, ValidateName("name", request.name()));
  const std::string& owner = request.audit().actor_id();
  if (owner.empty()) return InvalidField("audit.actor_id", "is required");
  const std::string base = SlugBase(name);

  v1::CreateOrgResponse out;
  // Two organisations created at once with the same name may pick the same slug: the loser's
  // insert hits the unique index and its transaction runs again with the winner's slug taken.
  MH_TRY(RetryOnConflict(5, [&]() -> Status {
    return db_.Transaction([&](sql::Session& tx) -> Status {
      const std::int64_t now = clock_.NowUnixMillis();
      MH_ASSIGN_OR_RETURN(
          sql::Rows rows,
          tx.Query("SELECT slug FROM orgs WHERE slug = $1 OR slug LIKE $2", {base, base + "-%"}));
      std::vector<std::string> taken;
      for (std::size_t r = 0; r < rows.size(); ++r) taken.push_back(rows.Text(r, 0));

      v1::Org org;
      org.set_id(NewId("org_"));
      org.set_name(name);
      org.set_slug(PickFreeSlug(base, taken));
      org.set_created_by(owner);
      org.set_created_at_ms(now);
      MH_TRY(tx.Exec("INSERT INTO orgs (id, name, slug, created_by, created_at, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $5)",
                     {org.id(), org.name(), org.slug(), owner, now})
                 .status());
      MH_TRY(tx.Exec("INSERT INTO memberships (id, org_id, user_id, role, status, created_at, "
                     "joined_at) VALUES ($1, $2, $3, 'owner', 'active', $4, $4)",
                     {NewId("mem_"), org.id(), owner, now})
                 .status());
      v1::UserProfile profile = request.creator();
      profile.set_user_id(owner);
      profile.set_email(NormalizeEmail(profile.email()));
      MH_TRY(UpsertUserProfile(tx, profile, now));

      MH_TRY(AppendAuditRecord(tx, clock_, request.audit(),
                               {.org_id = org.id(),
                                .action = "org.created",
                                .target_type = "org",
                                .target_id = org.id()}));
      v1::OrgCreated created;
      created.set_org_id(org.id());
      created.set_name(org.name());
      created.set_slug(org.slug());
      created.set_owner_user_id(owner);
      MH_TRY(AppendDomainEvent(tx, clock_, kOrgCreatedEvent, org.id(), created,
                               request.audit().trace_id()));
      *out.mutable_org() = std::move(org);
      out.set_role(std::string(RoleName(Role::kOwner)));
      return Status::Ok();
    });
  }));
  return out;
}

Result<v1::ListOrgsResponse> OrgServiceImpl::ListOrgs(const v1::ListOrgsRequest& request) {
  if (request.user_id().empty()) return InvalidField("user_id", "is required");
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  MH_TRY(ValidateCursor("cursor", request.cursor()));
  v1::ListOrgsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    out.Clear();
    // Across organisations by design: this is how a user finds their tenants.
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT " + std::string(kOrgColumns) +
                    ", m.role FROM memberships m JOIN orgs o ON o.id = m.org_id "
                    "WHERE m.user_id = $1 AND m.status = 'active' AND o.deleted_at IS NULL "
                    "AND o.id > $2 ORDER BY o.id LIMIT $3",
                {request.user_id(), request.cursor(), static_cast<std::int64_t>(limit) + 1}));
    const std::size_t n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
    for (std::size_t r = 0; r < n; ++r) {
      v1::OrgWithRole* item = out.add_items();
      *item->mutable_org() = OrgFromRow(rows, r);
      item->set_role(rows.Text(r, 5));
    }
    if (rows.size() > n) out.set_next_cursor(out.items(static_cast<int>(n) - 1).org().id());
    return Status::Ok();
  }));
  return out;
}

Result<v1::GetOrgResponse> OrgServiceImpl::GetOrg(const v1::GetOrgRequest& request) {
  v1::GetOrgResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(std::optional<v1::Org> org, FindLiveOrg(s, request.org_id()));
    if (!org) return NotFound("organisation not found");
    *out.mutable_org() = std::move(*org);
    return Status::Ok();
  }));
  return out;
}

Result<v1::RenameOrgResponse> OrgServiceImpl::RenameOrg(const v1::RenameOrgRequest& request) {
  MH_ASSIGN_OR_RETURN(const std::string name, ValidateName("name", request.name()));
  v1::RenameOrgResponse out;
  const AuditEntry entry{.org_id = request.org_id(),
                         .action = "org.renamed",
                         .target_type = "org",
                         .target_id = request.org_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(RequireActor(tx, request.org_id(), request.audit(), perm::kOrgUpdate).status());
    const std::int64_t now = clock_.NowUnixMillis();
    MH_TRY(tx.Exec("UPDATE orgs SET name = $2, updated_at = $3 WHERE id = $1 AND "
                   "deleted_at IS NULL",
                   {request.org_id(), name, now})
               .status());
    MH_TRY(AppendAuditRecord(tx, clock_, request.audit(), entry));
    MH_ASSIGN_OR_RETURN(std::optional<v1::Org> org, FindLiveOrg(tx, request.org_id()));
    if (!org) return NotFound("organisation not found");
    *out.mutable_org() = std::move(*org);
    return Status::Ok();
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return out;
}

Result<v1::DeleteOrgResponse> OrgServiceImpl::DeleteOrg(const v1::DeleteOrgRequest& request) {
  const AuditEntry entry{.org_id = request.org_id(),
                         .action = "org.deleted",
                         .target_type = "org",
                         .target_id = request.org_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(RequireActor(tx, request.org_id(), request.audit(), perm::kOrgDelete).status());
    const std::int64_t now = clock_.NowUnixMillis();
    MH_TRY(tx.Exec("UPDATE orgs SET deleted_at = $2, updated_at = $2 WHERE id = $1",
                   {request.org_id(), now})
               .status());
    // The keys die with the organisation (VerifyApiKey also checks the organisation, but a
    // revoked key stays revoked should the row ever be restored by hand).
    MH_TRY(tx.Exec("UPDATE api_keys SET revoked_at = $2 WHERE org_id = $1 AND revoked_at IS NULL",
                   {request.org_id(), now})
               .status());
    MH_TRY(AppendAuditRecord(tx, clock_, request.audit(), entry));
    v1::OrgDeleted deleted;
    deleted.set_org_id(request.org_id());
    deleted.set_deleted_by(request.audit().actor_id());
    return AppendDomainEvent(tx, clock_, kOrgDeletedEvent, request.org_id(), deleted,
                             request.audit().trace_id());
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return v1::DeleteOrgResponse();
}

}  // namespace milkyhoop::org
