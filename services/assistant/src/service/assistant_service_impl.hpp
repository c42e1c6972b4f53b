#pragma once
// AssistantService over its own database and the services it acts through.
#include <array>
#include <mutex>
#include <string_view>

#include "milkyhoop/assistant/assistant_factory.hpp"
#include "owner_assistant.hpp"
#include "session_store.hpp"
#include "setup_flow.hpp"

namespace milkyhoop::assistant {

class AssistantServiceImpl final : public AssistantService {
 public:
  AssistantServiceImpl(sql::Database& db, AssistantDeps deps, const Clock& clock,
                       AssistantOptions options)
      : store_(db),
        deps_(deps),
        clock_(clock),
        owner_(deps.businesses, clock, options.intent_fallback),
        faq_writer_(options.faq_writer) {}

  Result<v1::OwnerChatResponse> OwnerChat(const v1::OwnerChatRequest& request) override;
  Result<v1::ListOwnerTurnsResponse> ListOwnerTurns(
      const v1::ListOwnerTurnsRequest& request) override;
  Result<v1::SetupChatResponse> SetupChat(const v1::SetupChatRequest& request) override;

 private:
  // Turns of one session run one at a time in this process (two "ya" at once must not both see
  // the draft); sessions hash onto a fixed set of locks.
  std::mutex& LockFor(std::string_view session_id);
  // Creates the organisation, business, products and FAQs not created yet, saving progress after
  // each step so a retry resumes.
  Status Finish(SetupSession& row, setup::SetupState& state, const v1::SetupChatRequest& request);
  Status SaveProgress(SetupSession& row, const setup::SetupState& state);

  SessionStore store_;
  AssistantDeps deps_;
  const Clock& clock_;
  owner::OwnerAssistant owner_;
  const FaqWriter* faq_writer_;
  std::array<std::mutex, 64> locks_;
};

}  // namespace milkyhoop::assistant
