// MakeLlmIntentParser: one blocking, non-streamed, schema-constrained chat completion per message
// the rules could not read.
#include "llm_request.hpp"
#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/assistant/llm_intent_answer.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::assistant {
namespace {

// One small JSON object: an intent and a few entities.
constexpr int kMaxAnswerTokens = 300;

class LlmIntentParser final : public IntentFallback {
 public:
  LlmIntentParser(llm::LlmClient& client, AssistantLlmOptions options, metrics::Registry* metrics)
      : client_(client),
        options_(std::move(options)),
        response_format_(
            SchemaResponseFormat(options_.response_format, "owner_intent", LlmIntentSchemaJson())) {
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
    llm::ChatRequest request =
        SchemaRequest(options_, LlmIntentSystemPrompt(), text, response_format_, kMaxAnswerTokens);
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
  const AssistantLlmOptions options_;
  const std::string response_format_;
  std::vector<metrics::Counter*> counters_;
};

}  // namespace

std::unique_ptr<IntentFallback> MakeLlmIntentParser(llm::LlmClient& client,
                                                    AssistantLlmOptions options,
                                                    metrics::Registry* metrics) {
  return std::make_unique<LlmIntentParser>(client, std::move(options), metrics);
}

}  // namespace milkyhoop::assistant
