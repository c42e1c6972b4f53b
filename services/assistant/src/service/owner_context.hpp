#pragma once
// One owner turn's working state, shared by the owner_*.cpp files of OwnerAssistant.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "owner_assistant.hpp"

namespace milkyhoop::assistant::owner {

struct OwnerAssistant::Context {
  Context(OwnerSession& s, std::string_view m, std::int64_t now)
      : session(s), message(m), parsed(ParseOwnerUtterance(m)), now_ms(now) {}

  OwnerSession& session;
  std::string_view message;
  ParsedUtterance parsed;
  std::string parsed_by = "rules";
  std::optional<Draft> pending;  // the live pending draft, if any
  bool pending_expired = false;  // there was one, older than 30 minutes: dropped
  std::int64_t now_ms = 0;
  std::optional<std::vector<business::v1::Product>> catalogue;
  std::optional<business::v1::Business> business;

  bool English() const { return parsed.language == "en"; }
  // "id" text or "en" text, by the message's language.
  std::string Say(std::string id, std::string en) const {
    return English() ? std::move(en) : std::move(id);
  }
  // An outcome with this message's intent, entities and language.
  TurnOutcome Outcome(std::string reply) const {
    TurnOutcome out;
    out.reply = std::move(reply);
    out.intent = std::string(IntentName(parsed.intent));
    out.entities_json = EntitiesJson(parsed.intent, parsed.entities);
    out.language = parsed.language;
    out.parsed_by = parsed_by;
    return out;
  }
  void Keep(const Draft& draft) { session.pending = DraftToJson(draft); }
  void Drop() { session.pending.clear(); }
};

// The catalogue as the product matcher sees it.
std::vector<CatalogueProduct> ForMatching(const std::vector<business::v1::Product>& products);
const business::v1::Product* FindProduct(const std::vector<business::v1::Product>& products,
                                         const std::string& id);

}  // namespace milkyhoop::assistant::owner
