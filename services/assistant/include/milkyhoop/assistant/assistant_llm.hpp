#pragma once
// What the owner assistant asks an LLM (any OpenAI-compatible server), when the operator
// configures one: the intent cascade's last step (owner messages the keyword rules and the
// grammar cannot read) and, in setup, FAQs written from the facts the owner gave. Both ask for
// JSON constrained by a schema, and both answers are checked before anything uses them.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/assistant/intent.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::assistant {

struct AssistantLlmOptions {
  llm::Endpoint endpoint;  // base URL, model, API key (never logged)
  // How the schema is asked for: "json_schema" sends OpenAI structured outputs
  // ({"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}: OpenAI, vLLM,
  // llama.cpp's server, Ollama); "json_object" sends {"type": "json_object", "schema"} as
  // llama-cpp-python expects.
  std::string response_format = "json_schema";
  std::chrono::milliseconds timeout{5000};  // one call: the owner is waiting
};

// The response_format object (as JSON text) asking for output of `schema_json`, named `name`.
std::string SchemaResponseFormat(const std::string& kind, const std::string& name,
                                 const std::string& schema_json);

// Reads a message the rules left unknown; nullopt when it cannot (no answer in time, an answer
// that fails the checks, or "unknown"). Blocking; called from worker threads.
class IntentFallback {
 public:
  virtual ~IntentFallback() = default;
  virtual std::optional<ParsedUtterance> Parse(std::string_view text) const = 0;
};

// Counts each call in milkyhoop_assistant_llm_intent_total{outcome="parsed|unknown|rejected|
// failed"} when `metrics` is given. `client` and `metrics` must outlive the parser.
std::unique_ptr<IntentFallback> MakeLlmIntentParser(llm::LlmClient& client,
                                                    AssistantLlmOptions options,
                                                    metrics::Registry* metrics = nullptr);

struct ProposedFaq {
  std::string question;
  std::string answer;
};

// Proposes FAQs a business's customers would ask, answered from `facts` (one "label: value" per
// line); empty when it cannot. The caller checks them. Blocking.
class FaqWriter {
 public:
  virtual ~FaqWriter() = default;
  virtual std::vector<ProposedFaq> Write(std::string_view facts) const = 0;
};

// Counts each call in milkyhoop_assistant_llm_faqs_total{outcome="written|failed"}.
std::unique_ptr<FaqWriter> MakeLlmFaqWriter(llm::LlmClient& client, AssistantLlmOptions options,
                                            metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::assistant
