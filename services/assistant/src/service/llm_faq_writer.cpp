// MakeLlmFaqWriter: one blocking, schema-constrained chat completion per setup that reaches FAQ
// generation.
#include "llm_request.hpp"
#include "milkyhoop/core/log.hpp"
#include "setup_llm_faqs.hpp"

namespace milkyhoop::assistant {
namespace {

// Five short question-and-answer pairs in Indonesian.
constexpr int kMaxAnswerTokens = 900;

class LlmFaqWriter final : public FaqWriter {
 public:
  LlmFaqWriter(llm::LlmClient& client, AssistantLlmOptions options, metrics::Registry* metrics)
      : client_(client),
        options_(std::move(options)),
        response_format_(SchemaResponseFormat(options_.response_format, "business_faqs",
                                              setup::LlmFaqSchemaJson())) {
    if (metrics) {
      const char* help = "Setups that asked the LLM for FAQs, by outcome";
      written_ =
          metrics->GetCounter("milkyhoop_assistant_llm_faqs_total", help, {{"outcome", "written"}});
      failed_ =
          metrics->GetCounter("milkyhoop_assistant_llm_faqs_total", help, {{"outcome", "failed"}});
    }
  }

  std::vector<ProposedFaq> Write(std::string_view facts) const override {
    const llm::ChatResult result = client_.Complete(SchemaRequest(
        options_, setup::LlmFaqSystemPrompt(), facts, response_format_, kMaxAnswerTokens));
    std::vector<ProposedFaq> faqs;
    if (result.status.ok()) faqs = setup::ReadLlmFaqAnswer(result.text);
    if (faqs.empty()) {
      MH_LOG_WARN("assistant: LLM wrote no FAQs; the templates' stand alone",
                  {"error", result.status.ok() ? std::string("no FAQ in the answer")
                                               : result.status.ToString()});
      if (failed_) failed_->Inc();
      return {};
    }
    if (written_) written_->Inc();
    return faqs;
  }

 private:
  llm::LlmClient& client_;
  const AssistantLlmOptions options_;
  const std::string response_format_;
  metrics::Counter* written_ = nullptr;
  metrics::Counter* failed_ = nullptr;
};

}  // namespace

std::unique_ptr<FaqWriter> MakeLlmFaqWriter(llm::LlmClient& client, AssistantLlmOptions options,
                                            metrics::Registry* metrics) {
  return std::make_unique<LlmFaqWriter>(client, std::move(options), metrics);
}

}  // namespace milkyhoop::assistant
