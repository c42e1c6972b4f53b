#pragma once
// HTTP routes of a business's knowledge (API.md "Knowledge"): FAQs, their bulk import,
// documents (JSON text or a multipart file upload) and knowledge search, over a RagService,
// authorised through OrgService after locating the business with BusinessService.
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/rag/rag_service.hpp"

namespace milkyhoop::gateway {

// All three must outlive the router.
Status RegisterRagRoutes(http::Router& router, org::OrgService& orgs,
                         business::BusinessService& businesses, rag::RagService& rag);

}  // namespace milkyhoop::gateway
