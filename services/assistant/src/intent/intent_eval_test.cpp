// Accuracy on the owner-intent sets: the shared dev set and this service's held-out set of other
// shops. Intent accuracy ≥ 95% and exact entity match ≥ 90% (the entity JSON, as JSON, equal to
// the expected one, with the intent right), printed with every miss.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "milkyhoop/assistant/intent.hpp"

namespace milkyhoop::assistant {
namespace {

struct Score {
  int total = 0;
  int intents_right = 0;
  int entities_right = 0;
  double IntentAccuracy() const { return total ? 100.0 * intents_right / total : 0; }
  double EntityAccuracy() const { return total ? 100.0 * entities_right / total : 0; }
};

std::optional<nlohmann::json> LoadSet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return nlohmann::json::parse(in);
}

Score Evaluate(const nlohmann::json& set, const std::string& label) {
  Score score;
  for (const auto& u : set.at("utterances")) {
    const std::string text = u.at("text").get<std::string>();
    const ParsedUtterance parsed = ParseOwnerUtterance(text);
    const std::string intent(IntentName(parsed.intent));
    const nlohmann::json entities =
        nlohmann::json::parse(EntitiesJson(parsed.intent, parsed.entities));
    const bool intent_ok = intent == u.at("intent").get<std::string>();
    const bool entities_ok = intent_ok && entities == u.at("entities");
    ++score.total;
    score.intents_right += intent_ok;
    score.entities_right += entities_ok;
    if (!entities_ok) {
      std::cout << "[" << label << " miss] \"" << text << "\"\n    expected " << u.at("intent")
                << " " << u.at("entities").dump() << "\n    got      \"" << intent << "\" "
                << entities.dump() << "\n";
    }
  }
  std::cout << "[" << label << "] " << score.total << " utterances: intent accuracy "
            << score.IntentAccuracy() << "% (" << score.intents_right << "), exact entity match "
            << score.EntityAccuracy() << "% (" << score.entities_right << ")\n";
  return score;
}

void ExpectThresholds(const Score& score) {
  ASSERT_GT(score.total, 0);
  EXPECT_GE(score.IntentAccuracy(), 95.0);
  EXPECT_GE(score.EntityAccuracy(), 90.0);
}

TEST(OwnerIntentEval, DevSetMeetsAccuracyThresholds) {
  const auto set = LoadSet(MH_OWNER_INTENTS_DEV);
  if (!set) {
    std::cerr << "\n*** SKIPPING the owner-intent dev set eval: " << MH_OWNER_INTENTS_DEV
              << " is missing (it lives in ../shared next to the checkout) ***\n\n";
    GTEST_SKIP() << "dev set missing: " << MH_OWNER_INTENTS_DEV;
  }
  ExpectThresholds(Evaluate(*set, "dev"));
}

TEST(OwnerIntentEval, HeldOutSetOfOtherShopsMeetsAccuracyThresholds) {
  const auto set = LoadSet(MH_OWNER_INTENTS_HELDOUT);
  ASSERT_TRUE(set.has_value()) << MH_OWNER_INTENTS_HELDOUT;
  EXPECT_GE(set->at("utterances").size(), 60u);
  ExpectThresholds(Evaluate(*set, "held-out"));
}

}  // namespace
}  // namespace milkyhoop::assistant
