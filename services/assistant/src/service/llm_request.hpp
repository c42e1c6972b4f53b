#pragma once
// The one kind of request the assistant sends an LLM: a system prompt, the owner's text, and a
// JSON schema the answer must follow; temperature 0, one retry, the options' time limit.
#include <string>
#include <string_view>

#include "milkyhoop/assistant/assistant_llm.hpp"

namespace milkyhoop::assistant {

llm::ChatRequest SchemaRequest(const AssistantLlmOptions& options, const std::string& system,
                               std::string_view user, const std::string& response_format,
                               int max_tokens);

}  // namespace milkyhoop::assistant
