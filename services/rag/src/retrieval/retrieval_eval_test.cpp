// Retrieval evaluation through the public API, keyword retrieval only (no embedding provider):
// the shared dev set (tests/eval/retrieval-dev.json, a copy of ../shared/eval) and our own held-out
// set of other businesses (services/rag/testdata/retrieval-heldout.json, written before any
// tuning). Both must reach the figures the issue asks for; the test prints them.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "milkyhoop/rag/keyword_index.hpp"

namespace milkyhoop::rag {
namespace {

constexpr double kDeflectThreshold = 0.30;  // tier 4 below this

struct EvalFigures {
  int answerable = 0, top1_correct = 0, answerable_confident = 0;
  int off_topic = 0, off_topic_deflected = 0;
  double top1_accuracy() const { return answerable ? double(top1_correct) / answerable : 0; }
  double confident_share() const {
    return answerable ? double(answerable_confident) / answerable : 0;
  }
};

// "15000" -> "15.000", as the service writes prices.
std::string Rupiah(long long amount) {
  std::string digits = std::to_string(amount), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

// Indexes a business as the service will: FAQs, products and the profile.
std::unique_ptr<KeywordIndex> IndexBusiness(const nlohmann::json& business) {
  auto index = std::make_unique<KeywordIndex>();
  for (const auto& faq : business.at("faqs")) {
    index->Upsert({faq.at("id"), faq.at("question"), faq.at("answer"), 1.0});
  }
  for (const auto& product : business.value("products", nlohmann::json::array())) {
    const std::string name = product.at("name");
    index->Upsert({"product:" + name, name,
                   name + ": Rp " + Rupiah(product.value("price", 0LL)) + " per " +
                       product.value("unit", std::string("porsi")),
                   0.8});
  }
  const std::string name = business.at("name");
  index->Upsert({"profile", name, name + ", " + business.value("category", std::string()), 0.8});
  return index;
}

EvalFigures Evaluate(const std::string& path, const char* label) {
  std::ifstream in(path);
  EvalFigures f;
  if (!in) return f;
  const auto set = nlohmann::json::parse(in);
  std::map<std::string, std::unique_ptr<KeywordIndex>> indexes;
  for (const auto& b : set.at("businesses")) indexes[b.at("slug")] = IndexBusiness(b);
  std::printf("== %s (%s)\n", label, path.c_str());
  for (const auto& q : set.at("queries")) {
    const std::string query = q.at("query");
    const auto& index = indexes.at(q.at("business"));
    const auto result = index->Search(query, 5);
    const std::string top = result.hits.empty() ? "-" : result.hits.front().id;
    std::string terms;
    for (const auto& t : result.terms) terms += t + " ";
    const bool deflect = result.confidence < kDeflectThreshold;
    bool ok;
    std::string expect = "null";
    if (q.at("expect").is_null()) {
      ++f.off_topic;
      f.off_topic_deflected += deflect;
      ok = deflect;
    } else {
      expect = q.at("expect");
      ++f.answerable;
      const bool correct = top == expect;
      f.top1_correct += correct;
      f.answerable_confident += !deflect;
      ok = correct && !deflect;
    }
    std::printf("  %s %-45s expect %-6s top %-24s conf %.2f  [%s]\n", ok ? "  " : "XX",
                query.c_str(), expect.c_str(), top.c_str(), result.confidence, terms.c_str());
  }
  std::printf(
      "%s: top-1 accuracy %d/%d = %.1f%%; answerable with confidence >= 0.30: %d/%d = %.1f%%; "
      "off-topic deflected (< 0.30): %d/%d\n",
      label, f.top1_correct, f.answerable, 100 * f.top1_accuracy(), f.answerable_confident,
      f.answerable, 100 * f.confident_share(), f.off_topic_deflected, f.off_topic);
  return f;
}

void ExpectFigures(const EvalFigures& f) {
  ASSERT_GT(f.answerable, 0);
  EXPECT_GE(f.top1_accuracy(), 0.90);
  EXPECT_EQ(f.off_topic_deflected, f.off_topic) << "every off-topic query must be deflected";
  EXPECT_GE(f.confident_share(), 0.90);
}

TEST(RetrievalEvalTest, SharedDevSet) {
  const std::string path = MH_RETRIEVAL_DEV_SET;
  if (!std::ifstream(path)) {
    std::fprintf(stderr, "\n*** SKIPPING THE RETRIEVAL DEV-SET EVALUATION: %s IS MISSING ***\n\n",
                 path.c_str());
    GTEST_SKIP() << "retrieval dev set missing: " << path;
  }
  ExpectFigures(Evaluate(path, "dev set"));
}

TEST(RetrievalEvalTest, OwnHeldOutSet) {
  const std::string path = MH_RETRIEVAL_HELDOUT_SET;
  ASSERT_TRUE(std::ifstream(path)) << "held-out set missing: " << path;
  ExpectFigures(Evaluate(path, "held-out set"));
}

}  // namespace
}  // namespace milkyhoop::rag
