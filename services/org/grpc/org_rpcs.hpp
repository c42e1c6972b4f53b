#pragma once
// The list of OrgService calls, for the adapters: X(Method) for each rpc whose messages are
// v1::<Method>Request and v1::<Method>Response. Adding an rpc to org.proto means adding it here
// (the adapters then fail to compile until the interface has it too).
#define MH_ORG_RPCS(X) \
  X(CreateOrg)         \
  X(ListOrgs)          \
  X(GetOrg)            \
  X(RenameOrg)         \
  X(DeleteOrg)         \
  X(ListMembers)       \
  X(AddMember)         \
  X(ChangeRole)        \
  X(RemoveMember)      \
  X(Authorize)         \
  X(CreateApiKey)      \
  X(ListApiKeys)       \
  X(RevokeApiKey)      \
  X(VerifyApiKey)
