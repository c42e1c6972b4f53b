#pragma once
// The implementation of AssistantService, for the composition root (and tests).
#include <memory>

#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/assistant/assistant_service.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::assistant {

// Applies the assistant service's migrations (service name "assistant") to `db`, its own
// database (sessions, pending drafts, the turn log, setup sessions).
Status MigrateAssistantDatabase(sql::Database& db);

// The services the assistant acts through: bookkeeping and reports (business), and at the end
// of setup the organisation and the FAQs.
struct AssistantDeps {
  business::BusinessService& businesses;
  org::OrgService& orgs;
  rag::RagService& rag;
};

struct AssistantOptions {
  // The intent cascade's LLM step for owner messages the rules cannot read; null: rules only.
  // Must outlive the service.
  const IntentFallback* intent_fallback = nullptr;
  // Setup's FAQ writer: its checked FAQs join the templates'; null: templates only.
  const FaqWriter* faq_writer = nullptr;
};

// The implementation over a migrated `db`. `db`, the deps and `clock` must outlive it.
// Thread-safe: turns of one session are serialised within the process.
std::unique_ptr<AssistantService> MakeAssistantService(sql::Database& db, AssistantDeps deps,
                                                       const Clock& clock,
                                                       AssistantOptions options = {});

}  // namespace milkyhoop::assistant
