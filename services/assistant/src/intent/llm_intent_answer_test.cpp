// The checks an LLM's reading of an owner message must pass before the assistant acts on it.
#include "milkyhoop/assistant/llm_intent_answer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace milkyhoop::assistant {
namespace {

using Kind = LlmIntentAnswer::Kind;

// An answer with every key of the schema, `fields` overriding.
std::string Answer(const nlohmann::json& fields) {
  nlohmann::json a = {{"intent", "unknown"}, {"items", nlohmann::json::array()},
                      {"category", ""},      {"amount", nullptr},
                      {"product", ""},       {"delta", nullptr},
                      {"period", nullptr}};
  a.update(fields);
  return a.dump();
}

TEST(LlmIntentAnswerTest, ASaleInTheOwnersWordsBecomesItems) {
  const auto read = ReadLlmIntentAnswer(
      Answer({{"intent", "record_sale"},
              {"items", {{{"name", "Kaos Polos"}, {"quantity", 3}, {"unit_price", 45000}}}}}),
      "td laku kaos polos 3 biji, 45 rebuan");
  ASSERT_EQ(read.kind, Kind::kIntent);
  EXPECT_EQ(read.parsed.intent, Intent::kRecordSale);
  ASSERT_EQ(read.parsed.entities.items.size(), 1u);
  EXPECT_EQ(read.parsed.entities.items[0].name, "kaos polos");  // folded as the rules fold
  EXPECT_EQ(read.parsed.entities.items[0].quantity, 3);
  EXPECT_EQ(read.parsed.entities.items[0].unit_price, 45000);
  EXPECT_TRUE(read.parsed.problems.empty());
}

TEST(LlmIntentAnswerTest, AMissingPriceIsAQuestionNotARejection) {
  const auto read = ReadLlmIntentAnswer(
      Answer({{"intent", "record_purchase"},
              {"items", {{{"name", "beras"}, {"quantity", 50}, {"unit_price", nullptr}}}}}),
      "td kulakan beras 50");
  ASSERT_EQ(read.kind, Kind::kIntent);
  ASSERT_EQ(read.parsed.problems.size(), 1u);
  EXPECT_EQ(read.parsed.problems[0], "harga belum disebut untuk beras");
}

TEST(LlmIntentAnswerTest, ANameThatIsNotInTheMessageIsRejected) {
  // What SmolLM2 really answers to this message: names it made up.
  EXPECT_EQ(ReadLlmIntentAnswer(
                Answer({{"intent", "record_sale"},
                        {"items", {{{"name", "Tadikar"}, {"quantity", 45}, {"unit_price", 1}}}}}),
                "tadi laku kaos tiga biji, 45 ribuan")
                .kind,
            Kind::kInvalid);
  EXPECT_EQ(ReadLlmIntentAnswer(Answer({{"intent", "stock_query"}, {"product", "gula"}}),
                                "sisa kopi brp ya")
                .kind,
            Kind::kInvalid);
  EXPECT_EQ(
      ReadLlmIntentAnswer(
          Answer({{"intent", "record_expense"}, {"category", "sewa ruko"}, {"amount", 100000}}),
          "abis bayar tukang 100rb")
          .kind,
      Kind::kInvalid);
}

TEST(LlmIntentAnswerTest, OneWordOfALongerNameIsEnough) {
  // The LLM may expand slang ("es teh" for "esteh"): grounded by the word it shares.
  const auto read = ReadLlmIntentAnswer(
      Answer({{"intent", "price_query"}, {"product", "teh manis"}}), "harga esteh manis brp");
  ASSERT_EQ(read.kind, Kind::kIntent);
  EXPECT_EQ(read.parsed.entities.product, "teh manis");
}

TEST(LlmIntentAnswerTest, NumbersOutOfRangeAreRejected) {
  const std::string text = "laku kaos banyak bgt";
  for (const nlohmann::json& item : {
           nlohmann::json{{"name", "kaos"}, {"quantity", 0}, {"unit_price", 45000}},
           nlohmann::json{{"name", "kaos"}, {"quantity", -5}, {"unit_price", 45000}},
           nlohmann::json{{"name", "kaos"}, {"quantity", 1'000'001}, {"unit_price", 45000}},
           nlohmann::json{{"name", "kaos"}, {"quantity", 2.5}, {"unit_price", 45000}},
           nlohmann::json{{"name", "kaos"}, {"quantity", "3"}, {"unit_price", 45000}},
           nlohmann::json{{"name", "kaos"}, {"quantity", 3}, {"unit_price", 0}},
           nlohmann::json{{"name", "kaos"}, {"quantity", 3}, {"unit_price", 1'000'000'000'001}},
           nlohmann::json{{"name", "kaos"}, {"quantity", 18446744073709551615u}, {"unit_price", 1}},
       }) {
    EXPECT_EQ(
        ReadLlmIntentAnswer(Answer({{"intent", "record_sale"}, {"items", {item}}}), text).kind,
        Kind::kInvalid)
        << item.dump();
  }
  EXPECT_EQ(ReadLlmIntentAnswer(
                Answer({{"intent", "stock_adjust"}, {"product", "kaos"}, {"delta", 0}}), text)
                .kind,
            Kind::kInvalid);
  EXPECT_EQ(ReadLlmIntentAnswer(
                Answer({{"intent", "record_expense"}, {"category", "kaos"}, {"amount", -1}}), text)
                .kind,
            Kind::kInvalid);
}

TEST(LlmIntentAnswerTest, ReportsTakeAListedPeriodOrThisMonth) {
  auto read = ReadLlmIntentAnswer(Answer({{"intent", "report_sales"}, {"period", "yesterday"}}),
                                  "omzet kmrn gmn");
  ASSERT_EQ(read.kind, Kind::kIntent);
  EXPECT_EQ(read.parsed.entities.period, Period::kYesterday);
  read = ReadLlmIntentAnswer(Answer({{"intent", "report_profit"}}), "cuan gmn");
  ASSERT_EQ(read.kind, Kind::kIntent);
  EXPECT_EQ(read.parsed.entities.period, Period::kThisMonth);
  EXPECT_EQ(
      ReadLlmIntentAnswer(Answer({{"intent", "report_profit"}, {"period", "last_year"}}), "cuan")
          .kind,
      Kind::kInvalid);
}

TEST(LlmIntentAnswerTest, ConfirmAndCancelAreNeverTakenFromTheLlm) {
  EXPECT_EQ(ReadLlmIntentAnswer(Answer({{"intent", "confirm"}}), "oke gas").kind, Kind::kInvalid);
  EXPECT_EQ(ReadLlmIntentAnswer(Answer({{"intent", "cancel"}}), "gajadi").kind, Kind::kInvalid);
}

TEST(LlmIntentAnswerTest, UnknownAndMalformedAnswersAreTold) {
  EXPECT_EQ(ReadLlmIntentAnswer(Answer(nlohmann::json::object()), "halo").kind, Kind::kUnknown);
  for (const char* bad :
       {"", "not json", "[]", "{\"intent\": 3}", "{\"items\": []}", "{\"intent\": \"record_sale\"}",
        "{\"intent\": \"fly_to_moon\"}", "{\"intent\": \"record_sale\", \"items\": [\"kaos\"]}"}) {
    EXPECT_EQ(ReadLlmIntentAnswer(bad, "laku kaos 3").kind, Kind::kInvalid) << bad;
  }
  // Keys it leaves out read as null.
  const auto read = ReadLlmIntentAnswer(R"({"intent": "report_low_stock"})", "yg mau abis apa aja");
  EXPECT_EQ(read.kind, Kind::kIntent);
}

TEST(LlmIntentAnswerTest, TheSchemaListsEveryIntentTheLlmMayReport) {
  const auto schema = nlohmann::json::parse(LlmIntentSchemaJson());
  const auto& intents = schema["properties"]["intent"]["enum"];
  EXPECT_EQ(intents.size(), 13u);  // 12 actionable intents and "unknown"
  for (const char* name : {"record_sale", "report_low_stock", "void_last", "unknown"}) {
    EXPECT_NE(std::find(intents.begin(), intents.end(), name), intents.end()) << name;
  }
  EXPECT_EQ(std::find(intents.begin(), intents.end(), "confirm"), intents.end());
  EXPECT_EQ(schema["required"].size(), schema["properties"].size());  // strict mode needs all
  EXPECT_FALSE(LlmIntentSystemPrompt().empty());
}

}  // namespace
}  // namespace milkyhoop::assistant
