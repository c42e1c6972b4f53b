#pragma once
// Owner mode: one chat turn of a shop owner, acted on through the business service. Parses the
// message (the rule parser of intent.hpp), then drafts a transaction and posts it on "ya",
// answers stock and price questions, adjusts stock, reports, or helps. The session (its pending
// draft) is the caller's to load and store; this class holds no state between turns.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "draft.hpp"
#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/assistant/intent.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "session_store.hpp"

namespace milkyhoop::assistant::owner {

// What a turn answers; the caller stores it as the turn's record.
struct TurnOutcome {
  std::string reply;
  std::string intent;         // as in the eval ("record_sale", …)
  std::string entities_json;  // the eval's entity shape
  std::string language = "id";
  std::string action_type;          // "" when no action
  std::string action_data;          // JSON object
  std::string parsed_by = "rules";  // "rules", or "llm" when the LLM step read the message
};

// The most products read to match names against (the catalogue is read in pages of 200).
inline constexpr int kMaxCatalogueProducts = 1000;

class OwnerAssistant {
 public:
  // `fallback` (may be null) reads what the rules cannot: the cascade's LLM step.
  OwnerAssistant(business::BusinessService& businesses, const Clock& clock,
                 const IntentFallback* fallback = nullptr)
      : businesses_(businesses), clock_(clock), fallback_(fallback) {}

  // Acts on `message` (already validated: 1..2,000 characters of text) and updates
  // session.pending and session.last_transaction_id. Errors are those of the business service
  // that the owner cannot fix by rephrasing (unavailable, internal): the turn is then not
  // stored and the pending draft is unchanged.
  Result<TurnOutcome> Turn(OwnerSession& session, std::string_view message) const;

 private:
  struct Context;  // one turn's session, parse, pending draft and lazily loaded business data

  Result<TurnOutcome> Dispatch(Context& c) const;
  // The rules could not read the message: the LLM step, when there is one.
  bool ReadWithFallback(Context& c) const;
  Result<TurnOutcome> Confirm(Context& c) const;
  Result<TurnOutcome> Post(Context& c, const Draft& draft) const;
  Result<TurnOutcome> Void(Context& c, const Draft& draft) const;
  TurnOutcome Cancel(Context& c) const;
  Result<TurnOutcome> DraftTransaction(Context& c) const;
  Result<TurnOutcome> DraftVoid(Context& c) const;
  // An answer to the pending draft's question ("45rb", "2", "kaos hitam"); nullopt when the
  // message does not answer it.
  std::optional<TurnOutcome> Answer(Context& c) const;
  TurnOutcome Present(Context& c, Draft draft) const;
  Result<TurnOutcome> StockOrPrice(Context& c) const;
  Result<TurnOutcome> AdjustStock(Context& c) const;
  Result<TurnOutcome> Report(Context& c) const;
  Result<TurnOutcome> LowStock(Context& c) const;

  Result<std::vector<business::v1::Product>> Catalogue(Context& c) const;
  Result<business::v1::Business> Business(Context& c) const;

  business::BusinessService& businesses_;
  const Clock& clock_;
  const IntentFallback* fallback_;
};

// Entities of the eval's shape for a draft (what a completed answer reports).
std::string DraftEntitiesJson(const Draft& draft);
// The help answer to a message the rules do not understand.
std::string HelpReply(std::string_view language);

}  // namespace milkyhoop::assistant::owner
