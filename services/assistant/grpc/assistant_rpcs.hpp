#pragma once
// The list of AssistantService calls, for the adapters: X(Method) for each rpc whose messages
// are v1::<Method>Request and v1::<Method>Response.
#define MH_ASSISTANT_RPCS(X) \
  X(OwnerChat)               \
  X(ListOwnerTurns)          \
  X(SetupChat)
