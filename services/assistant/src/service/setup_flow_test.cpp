#include "setup_flow.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant::setup {
namespace {

TEST(SetupFlow, AWholeConversationWalksTheStates) {
  SetupState s;
  StepResult r = Step(s, "halo");
  EXPECT_EQ(s.state, kWelcome);
  EXPECT_NE(r.reply.find("Apa nama usaha Anda?"), std::string::npos);
  EXPECT_EQ(Progress(s), 0);

  r = Step(s, "Kopi Senja");
  EXPECT_EQ(s.state, kCollectingInfo);
  EXPECT_EQ(s.facts.name, "Kopi Senja");
  EXPECT_NE(r.reply.find("bidang apa"), std::string::npos);
  const int after_name = Progress(s);
  EXPECT_GT(after_name, 0);

  Step(s, "kafe");
  EXPECT_EQ(s.facts.category, "kafe");
  Step(s, "Jl. Mawar 3, Bogor");
  Step(s, "setiap hari 10.00-22.00");
  r = Step(s, "lewati");  // phone
  EXPECT_TRUE(s.facts.phone.empty());
  EXPECT_NE(r.reply.find("produk atau menu"), std::string::npos);
  EXPECT_GT(Progress(s), after_name);

  r = Step(s, "kopi susu 18rb, americano 20rb");
  EXPECT_EQ(s.state, kConfirming);
  EXPECT_EQ(Progress(s), 80);
  EXPECT_NE(r.reply.find("Ringkasan"), std::string::npos);

  // A correction while confirming stays in confirming.
  r = Step(s, "alamat: Jl. Melati 5, Bogor");
  EXPECT_EQ(s.state, kConfirming);
  EXPECT_EQ(s.facts.address, "Jl. Melati 5, Bogor");

  r = Step(s, "ya");
  EXPECT_EQ(s.state, kReview);
  EXPECT_EQ(Progress(s), 90);
  ASSERT_FALSE(s.faqs.empty());
  const std::size_t proposed = s.faqs.size();
  r = Step(s, "hapus 1");
  EXPECT_EQ(s.faqs.size(), proposed - 1);
  r = Step(s, "ya");
  EXPECT_TRUE(r.finish);
}

TEST(SetupFlow, NameAndCategoryCannotBeSkipped) {
  SetupState s;
  Step(s, "halo");
  Step(s, "lewati");
  EXPECT_EQ(s.asking, Field::kName);
  EXPECT_TRUE(s.facts.name.empty());
}

TEST(SetupFlow, FaqsAnswerOnlyFromFacts) {
  BusinessFacts f;
  f.name = "Laundry Kilat";
  f.category = "laundry";
  f.hours = ReadHours("senin-sabtu 08.00-20.00");
  f.products = {{"Cuci kiloan", 7000}};
  const auto faqs = ProposeFaqs(f);
  auto find = [&](const std::string& q) -> const Faq* {
    for (const auto& faq : faqs) {
      if (faq.question == q) return &faq;
    }
    return nullptr;
  };
  ASSERT_NE(find("Jam berapa Laundry Kilat buka?"), nullptr);
  EXPECT_EQ(find("Jam berapa Laundry Kilat buka?")->answer,
            "Laundry Kilat buka Senin–Sabtu 08.00–20.00.");
  ASSERT_NE(find("Apakah Laundry Kilat buka hari Minggu?"), nullptr);
  EXPECT_EQ(find("Apakah Laundry Kilat buka hari Minggu?")->answer,
            "Maaf, hari Minggu kami tutup.");
  ASSERT_NE(find("Layanan apa saja yang ada di Laundry Kilat dan berapa tarifnya?"), nullptr);
  ASSERT_NE(find("Berapa harga Cuci kiloan di Laundry Kilat?"), nullptr);
  EXPECT_EQ(find("Di mana alamat Laundry Kilat?"), nullptr);  // no address given
}

TEST(SetupFlow, StateSurvivesJson) {
  SetupState s;
  Step(s, "halo");
  Step(s, "nama usaha saya Toko Jaya, jualan sembako di Jl. Pasar 1");
  const SetupState back = StateFromJson(StateToJson(s));
  EXPECT_EQ(StateToJson(back), StateToJson(s));
  EXPECT_EQ(back.facts.name, "Toko Jaya");
  EXPECT_EQ(back.facts.category, "toko kelontong");
  EXPECT_EQ(StateFromJson("garbage").state, kWelcome);
}

}  // namespace
}  // namespace milkyhoop::assistant::setup
