// The checks that keep an LLM's setup FAQs to the owner's facts, and setup with a writer.
#include "setup_llm_faqs.hpp"

#include <gtest/gtest.h>

#include "setup_flow.hpp"

namespace milkyhoop::assistant::setup {
namespace {

BusinessFacts Kafe() {
  BusinessFacts f;
  f.name = "Kopi Senja";
  f.category = "kafe";
  f.address = "Jl. Mawar 3, Bogor";
  f.phone = "0812-3456-7890";
  f.hours = Hours{.text = "setiap hari 10.00–22.00", .week = {}};
  f.products = {{"kopi susu", 18000}, {"americano", 20000}};
  return f;
}

TEST(SetupLlmFaqsTest, TheFactsAreGivenOnePerLine) {
  EXPECT_EQ(FactsText(Kafe()),
            "Nama: Kopi Senja\nKategori: kafe\nAlamat: Jl. Mawar 3, Bogor\n"
            "Jam buka: setiap hari 10.00–22.00\nTelepon/WhatsApp: 0812-3456-7890\n"
            "Produk dan harga: kopi susu Rp 18.000; americano Rp 20.000\n");
}

TEST(SetupLlmFaqsTest, FaqsThatKeepToTheFactsAreKept) {
  const auto kept =
      CheckedLlmFaqs(Kafe(),
                     {{"Kopi susunya berapaan kak?", "Kopi susu Rp 18.000 ya kak."},
                      {"Bukanya sampe jam brp?", "Kami buka setiap hari 10.00–22.00."},
                      {"  Lokasinya dimana?  ", "Di Jl. Mawar 3, Bogor, kak."}},
                     {});
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].answer, "Kopi susu Rp 18.000 ya kak.");
  EXPECT_EQ(kept[2].question, "Lokasinya dimana?");  // trimmed
}

TEST(SetupLlmFaqsTest, AnInventedFigureOrFactDropsTheFaq) {
  const auto kept = CheckedLlmFaqs(
      Kafe(),
      {{"Kopi susu berapa?", "Kopi susu Rp 15.000 saja."},         // not the owner's price
       {"Buka jam berapa?", "Kami buka jam 07.00 sampai 22.00."},  // 07.00 is invented
       {"Ada diskon?", "Ada diskon 10% untuk kopi susu."},         // 10 is invented
       {"Bisa bayar QRIS?", "Bisa, Kopi Senja menerima QRIS."},    // names only the business
       {"Ada wifi?", "Ada wifi gratis."}},                         // repeats no fact
      {});
  EXPECT_TRUE(kept.empty()) << kept.size() << " kept, first: " << kept[0].answer;
}

TEST(SetupLlmFaqsTest, RepeatsBadTextAndExcessAreDropped) {
  std::vector<ProposedFaq> proposed = {
      {"Berapa harga americano di Kopi Senja?", "Americano Rp 20.000."},  // a template asks it
      {"Americano berapa?", "Americano Rp 20.000."},
      {"americano BERAPA", "Americano Rp 20.000 kak."},  // the same question again
      {"", "kopi susu"},
      {"Kopi?", std::string(601, 'a') + " kopi susu"},
      {"Harga kopi susu?\x01", "Kopi susu Rp 18.000."}};
  for (int i = 0; i < 8; ++i) {
    proposed.push_back({"Pertanyaan kopi susu nomor " + std::to_string(i % 2 == 0 ? 3 : 10) + " " +
                            std::string(static_cast<std::size_t>(i) + 1, 'x') + "?",
                        "Di Jl. Mawar 3, Bogor."});
  }
  const std::vector<Faq> existing = {{"Berapa harga americano di Kopi Senja?", "Rp 20.000"}};
  const auto kept = CheckedLlmFaqs(Kafe(), proposed, existing);
  ASSERT_EQ(kept.size(), kMaxLlmFaqs);
  EXPECT_EQ(kept[0].question, "Americano berapa?");
  for (const Faq& f : kept) EXPECT_NE(f.question, "americano BERAPA");
}

TEST(SetupLlmFaqsTest, TheAnswerIsReadLeniently) {
  EXPECT_TRUE(ReadLlmFaqAnswer("no").empty());
  EXPECT_TRUE(ReadLlmFaqAnswer(R"({"faqs": 3})").empty());
  const auto read = ReadLlmFaqAnswer(
      R"({"faqs": [{"question": "a?", "answer": "b"}, {"question": 1}, "x", {"answer": "c"}]})");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].question, "a?");
}

class ScriptedWriter final : public FaqWriter {
 public:
  std::vector<ProposedFaq> Write(std::string_view facts) const override {
    given = std::string(facts);
    return {{"Kopi susu berapaan?", "Kopi susu Rp 18.000 kak."},
            {"Ada promo?", "Promo beli 2 gratis 1!"}};
  }
  mutable std::string given;
};

TEST(SetupLlmFaqsTest, SetupAddsTheWritersCheckedFaqsToTheTemplates) {
  auto run = [](const FaqWriter* writer) {
    SetupState s;
    for (const char* m : {"halo", "Kopi Senja", "kafe", "Jl. Mawar 3, Bogor",
                          "setiap hari 10.00-22.00", "lewati", "kopi susu 18rb, americano 20rb"}) {
      Step(s, m, writer);
    }
    EXPECT_EQ(s.state, kConfirming);
    Step(s, "ya", writer);
    EXPECT_EQ(s.state, kReview);
    return s.faqs;
  };
  const std::vector<Faq> templates = run(nullptr);
  ScriptedWriter writer;
  const std::vector<Faq> with_llm = run(&writer);
  ASSERT_EQ(with_llm.size(), templates.size() + 1);  // the promo is invented: dropped
  EXPECT_EQ(with_llm.back().question, "Kopi susu berapaan?");
  EXPECT_NE(writer.given.find("Kopi susu Rp 18.000"), std::string::npos) << writer.given;
}

}  // namespace
}  // namespace milkyhoop::assistant::setup
