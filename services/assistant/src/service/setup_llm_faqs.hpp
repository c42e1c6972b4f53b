#pragma once
// FAQs an LLM wrote during setup, and the checks that keep them to the owner's facts. A customer
// bot that quotes an invented price or opening hour does real harm, so an LLM FAQ is kept only
// when every number in it is one of the facts' numbers and its answer repeats at least one fact
// (a product, the category, the address, the phone or the hours). That cannot catch every
// invention ("kopi susu bisa bayar QRIS"), which is why the owner reviews the list, and can drop
// any FAQ by number, before anything is created.
#include <string>
#include <vector>

#include "milkyhoop/assistant/assistant_llm.hpp"
#include "setup_faqs.hpp"

namespace milkyhoop::assistant::setup {

// The most LLM FAQs kept, after the templates' own.
inline constexpr std::size_t kMaxLlmFaqs = 5;

// The facts as the LLM is given them: one "label: value" per line.
std::string FactsText(const BusinessFacts& facts);

// The JSON schema of the answer ({"faqs": [{"question", "answer"}]}) and the system prompt.
const std::string& LlmFaqSchemaJson();
const std::string& LlmFaqSystemPrompt();

// Reads the LLM's answer into FAQs (empty when it is not JSON of the schema).
std::vector<ProposedFaq> ReadLlmFaqAnswer(std::string_view answer);

// The proposals that pass the checks, trimmed, without questions `existing` already asks (case
// and punctuation aside) or repeats, at most kMaxLlmFaqs.
std::vector<Faq> CheckedLlmFaqs(const BusinessFacts& facts,
                                const std::vector<ProposedFaq>& proposed,
                                const std::vector<Faq>& existing);

}  // namespace milkyhoop::assistant::setup
