#include "prompt_builder.hpp"

#include <algorithm>

#include "answer_text.hpp"

namespace milkyhoop::chatbot {

int EstimateTokens(std::string_view text) { return static_cast<int>((text.size() + 3) / 4); }

std::vector<llm::ChatMessage> BuildGroundedPrompt(const PromptInput& in) {
  std::string system;
  system += in.persona.empty() ? "You are the friendly customer-service assistant" : in.persona;
  if (in.persona.empty()) {
    system +=
        " of " + (in.business_name.empty() ? std::string("this business") : in.business_name) + ".";
  }
  system += "\n\nBusiness: " + in.business_name;
  if (!in.business_description.empty()) system += "\nAbout: " + in.business_description;
  system += "\n\nSources (cite them by their [n]):\n";
  for (std::size_t i = 0; i < in.sources.size(); ++i) {
    const auto& s = in.sources[i];
    system += "[" + std::to_string(i + 1) + "] (" + s.source_type() + ":" + s.source_id() + ") ";
    if (!s.title().empty()) system += s.title() + "\n";
    system += TruncateUtf8(s.text(), in.max_source_bytes) + "\n";
  }
  system +=
      "\nAnswer only from the sources above. If they do not cover the question, say so briefly "
      "and offer to connect the customer with the owner; never invent prices, hours or "
      "policies. Keep the answer short and friendly. Answer in ";
  system += in.language == "en" ? "English." : "Indonesian (Bahasa Indonesia).";

  std::vector<llm::ChatMessage> messages;
  messages.push_back({"system", std::move(system)});

  // The most recent turns that fit the budget, in their original order.
  std::vector<const HistoryTurn*> kept;
  int budget = in.history_token_budget;
  for (auto it = in.history.rbegin(); it != in.history.rend(); ++it) {
    if (static_cast<int>(kept.size()) >= in.max_history_messages) break;
    const int cost = EstimateTokens(it->text);
    if (cost > budget) break;
    budget -= cost;
    kept.push_back(&*it);
  }
  std::reverse(kept.begin(), kept.end());
  for (const HistoryTurn* t : kept) {
    messages.push_back({t->role == "customer" ? "user" : "assistant", t->text});
  }
  messages.push_back({"user", in.question});
  return messages;
}

}  // namespace milkyhoop::chatbot
