// MakeLlmIntentParser: one blocking, non-streamed, schema-constrained chat completion per message
// the rules could not read.
#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/llm_intent.hpp"
#include "milkyhoop/assistant/llm_intent_answer.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::assistant {
namespace {

std::string ResponseFormat(const std::string& kind) {
  const nlohmann::json schema = nlohmann::json::parse(LlmIntentSchemaJson());
  if (kind == "json_object")
    return nlohmann::json{{"type", "json_object"}, {"schema", schema}}.dump();
  return nlohmann::json{
      {"type", "json_schema"},
      {"json_schema", {{"name", "owner_intent"}, {"strict", true}, {"schema", schema}}}}
      .dump();
}

class LlmIntentParser final : public IntentFallback {
 public:
  LlmIntentParser(llm::LlmClient& client, LlmIntentOptions options, metrics::Registry* metrics)
      : client_(client),
        options_(std::move(options)),
        response_format_(ResponseFormat(options_.response_format)) {
    if (metrics) {
      for (const char* outcome : {"parsed", "unknown", "rejected", "failed"}) {
        counters_.push_back(metrics->GetCounter(
            "milkyhoop_assistant_llm_intent_total",
            "Owner messages the rules could not read, sent to the LLM, by outcome",
            {{"outcome", outcome}}));
      }
    }
  }

  std::optional<ParsedUtterance> Parse(std::string_view text) const override {
    llm::ChatRequest request;
    request.endpoint = options_.endpoint;
    request.messages = {{"system", LlmIntentSystemPrompt()}, {"user", std::string(text)}};
    request.temperature = 0;
    request.max_tokens = options_.max_tokens;
    request.timeout = options_.timeout;
    request.first_token_timeout = options_.timeout;
    request.max_retries = 1;  // the owner is waiting: one retry on 429/5xx within the timeout
    request.response_format = response_format_;
    const llm::ChatResult result = client_.Complete(std::move(request));
    if (!result.status.ok()) {
      MH_LOG_WARN("assistant: LLM intent step failed; answering with help",
                  {"error", result.status.ToString()}, {"attempts", result.attempts});
      Count(kFailed);
      return std::nullopt;
    }
    LlmIntentAnswer answer = ReadLlmIntentAnswer(result.text, text);
    switch (answer.kind) {
      case LlmIntentAnswer::Kind::kIntent:
        Count(kParsed);
        return std::move(answer.parsed);
      case LlmIntentAnswer::Kind::kUnknown:
        Count(kUnknown);
        return std::nullopt;
      case LlmIntentAnswer::Kind::kInvalid:
        break;
    }
    // Not the answer itself in the log: it may repeat what the owner wrote.
    MH_LOG_INFO("assistant: LLM intent answer failed the checks",
                {"answer_bytes", static_cast<std::int64_t>(result.text.size())});
    Count(kRejected);
    return std::nullopt;
  }

 private:
  enum Outcome { kParsed, kUnknown, kRejected, kFailed };
  void Count(Outcome outcome) const {
    if (!counters_.empty()) counters_[outcome]->Inc();
  }

  llm::LlmClient& client_;
  const LlmIntentOptions options_;
  const std::string response_format_;
  std::vector<metrics::Counter*> counters_;
};

}  // namespace

std::unique_ptr<IntentFallback> MakeLlmIntentParser(llm::LlmClient& client,
                                                    LlmIntentOptions options,
                                                    metrics::Registry* metrics) {
  return std::make_unique<LlmIntentParser>(client, std::move(options), metrics);
}

}  // namespace milkyhoop::assistant
