#pragma once
// HTTP routes of the owner assistant (API.md "Chat — the owner side"):
//   POST /v1/businesses/{business_id}/assistant/chat   owner mode (chat bookkeeping)
//   GET  /v1/businesses/{business_id}/assistant/turns  the stored turns, for audit
//   POST /v1/setup/chat                                setting a business up by chat
// over an AssistantService; business routes are authorised through OrgService after locating
// the business with BusinessService (assistant:use to chat, audit:read to list turns).
#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway {

// All three must outlive the router.
Status RegisterAssistantRoutes(http::Router& router, org::OrgService& orgs,
                               business::BusinessService& businesses,
                               assistant::AssistantService& assistant);

}  // namespace milkyhoop::gateway
