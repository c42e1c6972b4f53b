#pragma once
// The organisation service: organisations (tenants), members and invitations, API keys, and the
// authorisation decision of every org-scoped route. Callers hold an OrgService&; the composition
// root decides whether it is the implementation (milkyhoop/org/org_factory.hpp) or a gRPC client
// (milkyhoop/org/org_grpc.hpp).
//
// Error codes, as the gateway maps them:
//   kInvalidArgument (400)    a field is wrong; field_errors() names it
//   kNotFound (404)           no such organisation / member / key, or the caller is not a member:
//                             another organisation's resources look absent, never forbidden
//   kPermissionDenied (403)   a member whose role (or an API key whose scopes) lacks the permission
//   kAlreadyExists (409)      already a member / already invited
//   kFailedPrecondition (409) a rule of the organisation refuses it: the last owner cannot be
//                             removed, demoted or leave; too many API keys
//   kUnauthenticated (401)    VerifyApiKey: unknown, malformed or revoked key (one message for all)

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/org/v1/org.pb.h"

namespace milkyhoop::org {

// v1:: below is the generated milkyhoop::org::v1 (proto/milkyhoop/org/v1/org.proto).
class OrgService {
 public:
  virtual ~OrgService();

  // Creates an organisation owned by audit.actor_id. The slug is derived from the name and made
  // unique with a "-2", "-3"... suffix.
  virtual Result<v1::CreateOrgResponse> CreateOrg(const v1::CreateOrgRequest& request) = 0;
  // The organisations user_id is an active member of, with its role. Lists here are in id order:
  // ids are time-ordered, so roughly creation order; cursors are the last id of a page.
  virtual Result<v1::ListOrgsResponse> ListOrgs(const v1::ListOrgsRequest& request) = 0;
  virtual Result<v1::GetOrgResponse> GetOrg(const v1::GetOrgRequest& request) = 0;
  // Needs org:update. The slug does not change (links stay valid).
  virtual Result<v1::RenameOrgResponse> RenameOrg(const v1::RenameOrgRequest& request) = 0;
  // Needs org:delete (owners). Soft delete: the organisation disappears for every caller (404),
  // its API keys stop working, its rows stay for the audit trail; its slug is not reused.
  virtual Result<v1::DeleteOrgResponse> DeleteOrg(const v1::DeleteOrgRequest& request) = 0;

  // Members and pending invitations.
  virtual Result<v1::ListMembersResponse> ListMembers(const v1::ListMembersRequest& request) = 0;
  // Needs members:manage; granting "owner" needs an owner. With request.user set: an active
  // member; without: an invitation for the normalised email.
  virtual Result<v1::AddMemberResponse> AddMember(const v1::AddMemberRequest& request) = 0;
  // Needs members:manage; touching an owner or granting "owner" needs an owner. The last owner
  // cannot be demoted.
  virtual Result<v1::ChangeRoleResponse> ChangeRole(const v1::ChangeRoleRequest& request) = 0;
  // Needs members:manage, except a member leaving (member_id == audit.actor_id). Removing an
  // owner needs an owner; the last owner cannot be removed or leave.
  virtual Result<v1::RemoveMemberResponse> RemoveMember(const v1::RemoveMemberRequest& request) = 0;

  // May this principal do `permission` in org_id (and business_id, when given)?
  // Users: their active membership's role must grant it. API keys: the key's organisation must be
  // org_id (else kNotFound), its scopes must hold the permission, and a key limited to a
  // business cannot act on another business (kNotFound) or on the organisation as a whole
  // (kPermissionDenied).
  virtual Result<v1::AuthorizeResponse> Authorize(const v1::AuthorizeRequest& request) = 0;

  // Needs apikeys:manage; scopes must be known permissions the creator's role holds. The secret
  // is in the response and nowhere else.
  virtual Result<v1::CreateApiKeyResponse> CreateApiKey(const v1::CreateApiKeyRequest& request) = 0;
  // Never returns secrets. Like every read here, it takes no actor: the caller authorises it with
  // Authorize first (the gateway always does); the query itself is scoped to org_id.
  virtual Result<v1::ListApiKeysResponse> ListApiKeys(const v1::ListApiKeysRequest& request) = 0;
  // Needs apikeys:manage. Revoking a revoked key changes nothing and succeeds.
  virtual Result<v1::RevokeApiKeyResponse> RevokeApiKey(const v1::RevokeApiKeyRequest& request) = 0;
  // Who does this secret belong to? kUnauthenticated for anything but a live key of a live
  // organisation.
  virtual Result<v1::VerifyApiKeyResponse> VerifyApiKey(const v1::VerifyApiKeyRequest& request) = 0;
};

}  // namespace milkyhoop::org
