#include "tier_router.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

v1::Thresholds Defaults() {
  v1::Thresholds t;
  t.set_direct(0.85);
  t.set_grounded(0.60);
  t.set_deep(0.30);
  return t;
}

rag::v1::SearchResponse Found(double confidence, std::vector<std::string> types) {
  rag::v1::SearchResponse r;
  r.set_confidence(confidence);
  int i = 0;
  for (const auto& type : types) {
    auto* x = r.add_results();
    x->set_source_type(type);
    x->set_source_id(type + "_" + std::to_string(i++));
    x->set_title("t");
    x->set_text("text");
  }
  return r;
}

TEST(RouteTier, ThresholdsPickTheTierAndItsSources) {
  const std::vector<std::string> five = {"faq", "faq", "document", "product", "faq"};
  auto t1 = RouteTier(Found(0.90, five), Defaults());
  EXPECT_EQ(t1.tier, 1);
  ASSERT_EQ(t1.sources.size(), 1u);
  EXPECT_EQ(t1.sources[0].source_id(), "faq_0");

  auto t2 = RouteTier(Found(0.70, five), Defaults());
  EXPECT_EQ(t2.tier, 2);
  EXPECT_EQ(t2.sources.size(), 2u);

  auto t3 = RouteTier(Found(0.45, five), Defaults());
  EXPECT_EQ(t3.tier, 3);
  EXPECT_EQ(t3.sources.size(), 4u);

  auto t4 = RouteTier(Found(0.20, five), Defaults());
  EXPECT_EQ(t4.tier, 4);
  EXPECT_TRUE(t4.sources.empty());
}

TEST(RouteTier, BoundariesBelongToTheHigherTier) {
  EXPECT_EQ(RouteTier(Found(0.85, {"faq"}), Defaults()).tier, 1);
  EXPECT_EQ(RouteTier(Found(0.60, {"faq"}), Defaults()).tier, 2);
  EXPECT_EQ(RouteTier(Found(0.30, {"faq"}), Defaults()).tier, 3);
  EXPECT_EQ(RouteTier(Found(0.2999, {"faq"}), Defaults()).tier, 4);
}

TEST(RouteTier, ADirectMatchThatIsNoFaqGoesToTheLlm) {
  auto r = RouteTier(Found(0.95, {"document", "faq"}), Defaults());
  EXPECT_EQ(r.tier, 2);
  EXPECT_EQ(r.sources.size(), 2u);
}

TEST(RouteTier, PerBotThresholdsApply) {
  v1::Thresholds strict;
  strict.set_direct(0.99);
  strict.set_grounded(0.9);
  strict.set_deep(0.8);
  EXPECT_EQ(RouteTier(Found(0.88, {"faq"}), strict).tier, 3);
  EXPECT_EQ(RouteTier(Found(0.5, {"faq"}), strict).tier, 4);
}

TEST(RouteTier, NothingFoundIsTierFour) {
  auto r = RouteTier(Found(0.9, {}), Defaults());
  EXPECT_EQ(r.tier, 4);
  EXPECT_EQ(r.confidence, 0);
}

TEST(CitationsOf, CarriesIdsAndCutsSnippetsOnCharacterBoundaries) {
  rag::v1::SearchResult r;
  r.set_source_type("faq");
  r.set_source_id("faq_1");
  r.set_title("Jam buka?");
  r.set_text("ééééé");  // 10 bytes
  auto c = CitationsOf({r}, 5);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source_id(), "faq_1");
  EXPECT_EQ(c[0].title(), "Jam buka?");
  EXPECT_EQ(c[0].snippet(), "éé…");
}

}  // namespace
}  // namespace milkyhoop::chatbot
