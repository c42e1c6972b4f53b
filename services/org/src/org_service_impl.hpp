#pragma once
// The implementation of OrgService over its own database. Each mutating call runs in one
// transaction that also appends the change's audit record (and domain events) to the outbox.
// Calls are split by subject: org_service_orgs.cpp, _members.cpp, _api_keys.cpp,
// _authorize.cpp.

#include <string_view>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/sql/database.hpp"
#include "org_outbox.hpp"

namespace milkyhoop::org {

class OrgServiceImpl final : public OrgService {
 public:
  OrgServiceImpl(sql::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<v1::CreateOrgResponse> CreateOrg(const v1::CreateOrgRequest& request) override;
  Result<v1::ListOrgsResponse> ListOrgs(const v1::ListOrgsRequest& request) override;
  Result<v1::GetOrgResponse> GetOrg(const v1::GetOrgRequest& request) override;
  Result<v1::RenameOrgResponse> RenameOrg(const v1::RenameOrgRequest& request) override;
  Result<v1::DeleteOrgResponse> DeleteOrg(const v1::DeleteOrgRequest& request) override;

  Result<v1::ListMembersResponse> ListMembers(const v1::ListMembersRequest& request) override;
  Result<v1::AddMemberResponse> AddMember(const v1::AddMemberRequest& request) override;
  Result<v1::ChangeRoleResponse> ChangeRole(const v1::ChangeRoleRequest& request) override;
  Result<v1::RemoveMemberResponse> RemoveMember(const v1::RemoveMemberRequest& request) override;

  Result<v1::AuthorizeResponse> Authorize(const v1::AuthorizeRequest& request) override;

  Result<v1::CreateApiKeyResponse> CreateApiKey(const v1::CreateApiKeyRequest& request) override;
  Result<v1::ListApiKeysResponse> ListApiKeys(const v1::ListApiKeysRequest& request) override;
  Result<v1::RevokeApiKeyResponse> RevokeApiKey(const v1::RevokeApiKeyRequest& request) override;
  Result<v1::VerifyApiKeyResponse> VerifyApiKey(const v1::VerifyApiKeyRequest& request) override;

 private:
  // A change refused by a rule of the organisation (kPermissionDenied, kFailedPrecondition) is
  // audited as a failure in a transaction of its own; other errors are not (validation errors
  // and unknown organisations would only let anyone fill a log). Returns `refusal` unchanged.
  Status AuditRefusal(Status refusal, const v1::AuditContext& audit, const AuditEntry& entry);
  Status Denied(const v1::AuthorizeRequest& request, std::string message);

  sql::Database& db_;
  const Clock& clock_;
};

// Retries `fn` (a whole transaction) while it fails with kAlreadyExists or kAborted: a generated
// value (slug, key prefix) collided or a concurrent writer won; at most `attempts` times.
Status RetryOnConflict(int attempts, const std::function<Status()>& fn);

}  // namespace milkyhoop::org
