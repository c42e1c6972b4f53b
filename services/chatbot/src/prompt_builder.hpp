#pragma once
// The grounded prompt of tiers 2 and 3: who the bot is (persona, business profile), the sources
// with their ids, the answer language, the instruction to answer only from the sources and say
// when they do not cover the question, then the last turns within a token budget and the
// question.
#include <string>
#include <vector>

#include "milkyhoop/llm/llm_client.hpp"
#include "milkyhoop/rag/v1/rag.pb.h"

namespace milkyhoop::chatbot {

struct HistoryTurn {
  std::string role;  // "customer", "bot" or "agent"
  std::string text;
};

struct PromptInput {
  std::string persona;
  std::string business_name;
  std::string business_description;
  std::string language;  // "id" or "en"
  std::vector<rag::v1::SearchResult> sources;
  std::vector<HistoryTurn> history;  // oldest first, without the question
  std::string question;
  std::size_t max_source_bytes = 1500;
  int max_history_messages = 10;
  int history_token_budget = 600;
};

// Characters / 4, the usual rough estimate.
int EstimateTokens(std::string_view text);

std::vector<llm::ChatMessage> BuildGroundedPrompt(const PromptInput& input);

}  // namespace milkyhoop::chatbot
