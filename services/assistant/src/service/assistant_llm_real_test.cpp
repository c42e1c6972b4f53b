// The assistant's LLM calls (the intent cascade's last step, setup's FAQ writer) against a real
// OpenAI-compatible server nobody on this team wrote
// (llama-cpp-python with SmolLM2-135M: scripts/llm-start.sh), through the real LLM client. Runs
// when MILKYHOOP_TEST_LLM_URL is set (scripts/test.sh sets it). A 135M model reads Indonesian
// poorly, so what is checked is what holds for any model: the server accepts the request and
// its answer is constrained to our schema, and whatever it says passes our checks or is
// refused, never acted on unchecked. An unreachable server is a quick, counted failure.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "llm_request.hpp"
#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/assistant/llm_intent_answer.hpp"
#include "milkyhoop/core/testing/test_env.hpp"
#include "setup_llm_faqs.hpp"

namespace milkyhoop::assistant {
namespace {

using milkyhoop::testing::TestEnv;
using milkyhoop::testing::UnusedLoopbackPort;

using namespace std::chrono_literals;

// The count of one outcome in the registry's Prometheus text (a series still at 0 is not shown).
int Outcomes(const metrics::Registry& registry, const std::string& outcome) {
  const std::string text = registry.Render();
  const std::string key = "milkyhoop_assistant_llm_intent_total{outcome=\"" + outcome + "\"} ";
  const auto at = text.find(key);
  return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + key.size());
}

class AssistantLlmRealServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = TestEnv("MILKYHOOP_TEST_LLM_URL");
    if (base_url_.empty()) {
      GTEST_SKIP() << "MILKYHOOP_TEST_LLM_URL is not set (start the test server with "
                      "scripts/llm-start.sh and export the URL it prints)";
    }
    client_ = llm::LlmClient::Create({});
  }

  AssistantLlmOptions Options(const std::string& base_url) const {
    AssistantLlmOptions o;
    o.endpoint = {.base_url = base_url,
                  .api_key = "",
                  .model = TestEnv("MILKYHOOP_TEST_LLM_MODEL", "smollm2")};
    o.response_format = "json_object";  // llama-cpp-python's way of taking a schema
    o.timeout = 120s;  // a 135M model on two shared cores: this is not a latency test
    return o;
  }

  std::string base_url_;
  std::unique_ptr<llm::LlmClient> client_;
};

TEST_F(AssistantLlmRealServerTest, TheServersAnswerFollowsTheSchemaAndIsCheckedBeforeUse) {
  const std::string text = "td ada yg ambil kaos 3 biji, 45 rebuan";
  // The exact request the parser sends, to see the raw answer.
  const AssistantLlmOptions options = Options(base_url_);
  const llm::ChatRequest request = SchemaRequest(
      options, LlmIntentSystemPrompt(), text,
      SchemaResponseFormat("json_object", "owner_intent", LlmIntentSchemaJson()), 300);
  const llm::ChatResult raw = client_->Complete(request);
  ASSERT_TRUE(raw.status.ok()) << raw.status.ToString();
  const auto answer = nlohmann::json::parse(raw.text, nullptr, false);
  ASSERT_TRUE(answer.is_object()) << "not constrained to JSON: " << raw.text;
  const auto schema = nlohmann::json::parse(LlmIntentSchemaJson());
  for (const auto& key : schema["required"]) {
    EXPECT_TRUE(answer.contains(key.get<std::string>())) << key << " missing in " << raw.text;
  }
  const auto& intents = schema["properties"]["intent"]["enum"];
  EXPECT_NE(std::find(intents.begin(), intents.end(), answer["intent"]), intents.end()) << raw.text;

  // Through the parser: the answer is read, refused by the checks or counted as unknown.
  metrics::Registry registry;
  auto parser = MakeLlmIntentParser(*client_, options, &registry);
  const std::optional<ParsedUtterance> read = parser->Parse(text);
  EXPECT_EQ(Outcomes(registry, "failed"), 0);
  EXPECT_EQ(
      Outcomes(registry, "parsed") + Outcomes(registry, "unknown") + Outcomes(registry, "rejected"),
      1);
  EXPECT_EQ(read.has_value(), Outcomes(registry, "parsed") == 1);
}

TEST_F(AssistantLlmRealServerTest, SetupsFaqRequestIsAnsweredWithinItsSchema) {
  setup::BusinessFacts facts;
  facts.name = "Kopi Senja";
  facts.category = "kafe";
  facts.address = "Jl. Mawar 3, Bogor";
  facts.products = {{"kopi susu", 18000}, {"americano", 20000}};
  AssistantLlmOptions options = Options(base_url_);
  const llm::ChatResult raw = client_->Complete(SchemaRequest(
      options, setup::LlmFaqSystemPrompt(), setup::FactsText(facts),
      SchemaResponseFormat("json_object", "business_faqs", setup::LlmFaqSchemaJson()), 400));
  ASSERT_TRUE(raw.status.ok()) << raw.status.ToString();
  if (raw.finish_reason == "length") {
    // A small model may ramble until max_tokens: the JSON it started is cut, and the writer
    // must then keep nothing rather than half an answer.
    EXPECT_EQ(raw.text.find_first_not_of(" \n"), raw.text.find('{')) << raw.text;
    EXPECT_NE(raw.text.find("\"faqs\""), std::string::npos) << raw.text;
    EXPECT_TRUE(setup::ReadLlmFaqAnswer(raw.text).empty());
    return;
  }
  const auto answer = nlohmann::json::parse(raw.text, nullptr, false);
  ASSERT_TRUE(answer.is_object() && answer.contains("faqs") && answer["faqs"].is_array())
      << "not constrained to the schema: " << raw.text;
  for (const auto& faq : answer["faqs"]) {
    EXPECT_TRUE(faq.is_object() && faq["question"].is_string() && faq["answer"].is_string())
        << faq.dump();
  }
  // Whatever it wrote, what is kept keeps to the facts' figures.
  for (const setup::Faq& kept :
       setup::CheckedLlmFaqs(facts, setup::ReadLlmFaqAnswer(raw.text), {})) {
    EXPECT_EQ(kept.answer.find("Rp 1"), kept.answer.find("Rp 18.000")) << kept.answer;
  }
}

TEST_F(AssistantLlmRealServerTest, AnUnreachableServerIsAQuickCountedFailure) {
  metrics::Registry registry;
  AssistantLlmOptions options =
      Options("http://127.0.0.1:" + std::to_string(UnusedLoopbackPort()) + "/v1");
  options.timeout = 3s;
  auto parser = MakeLlmIntentParser(*client_, options, &registry);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(parser->Parse("td ada yg ambil kaos 3 biji").has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(Outcomes(registry, "failed"), 1);
}

}  // namespace
}  // namespace milkyhoop::assistant
