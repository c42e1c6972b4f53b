#pragma once
// The owner intent cascade's last step: when the keyword rules and the grammar cannot read a
// message, an LLM (any OpenAI-compatible server) is asked for the intent as JSON constrained by a
// schema, and its answer is checked (llm_intent_answer.hpp) before the assistant acts on it.
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "milkyhoop/assistant/intent.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::assistant {

// Reads a message the rules left unknown; nullopt when it cannot (no answer in time, an answer
// that fails the checks, or "unknown"). Blocking; called from worker threads.
class IntentFallback {
 public:
  virtual ~IntentFallback() = default;
  virtual std::optional<ParsedUtterance> Parse(std::string_view text) const = 0;
};

struct LlmIntentOptions {
  llm::Endpoint endpoint;  // base URL, model, API key (never logged)
  // How the schema is asked for: "json_schema" sends OpenAI structured outputs
  // ({"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}: OpenAI, vLLM,
  // llama.cpp's server, Ollama); "json_object" sends {"type": "json_object", "schema"} as
  // llama-cpp-python expects.
  std::string response_format = "json_schema";
  std::chrono::milliseconds timeout{5000};  // the whole call: the owner is waiting
  int max_tokens = 300;                     // the answer is one small JSON object
};

// Counts each call in milkyhoop_assistant_llm_intent_total{outcome="parsed|unknown|rejected|
// failed"} when `metrics` is given. `client` and `metrics` must outlive the parser.
std::unique_ptr<IntentFallback> MakeLlmIntentParser(llm::LlmClient& client,
                                                    LlmIntentOptions options,
                                                    metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::assistant
