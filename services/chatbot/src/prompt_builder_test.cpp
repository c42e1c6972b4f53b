#include "prompt_builder.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

rag::v1::SearchResult Source(std::string id, std::string title, std::string text) {
  rag::v1::SearchResult r;
  r.set_source_type("faq");
  r.set_source_id(std::move(id));
  r.set_title(std::move(title));
  r.set_text(std::move(text));
  return r;
}

PromptInput Input() {
  PromptInput in;
  in.persona = "Kamu adalah Sari, asisten Warung Bu Sari.";
  in.business_name = "Warung Makan Bu Sari";
  in.business_description = "Masakan rumahan di Sleman";
  in.language = "id";
  in.sources = {Source("faq_1", "Jam berapa warung buka?", "Buka 07.00 sampai 21.00."),
                Source("faq_2", "Apakah bisa pesan antar?", "Bisa lewat WhatsApp.")};
  in.question = "jam brp buka kak?";
  return in;
}

TEST(BuildGroundedPrompt, CarriesPersonaProfileSourcesLanguageAndInstruction) {
  auto msgs = BuildGroundedPrompt(Input());
  ASSERT_EQ(msgs.size(), 2u);
  const std::string& sys = msgs[0].content;
  EXPECT_EQ(msgs[0].role, "system");
  for (const char* needle :
       {"Kamu adalah Sari", "Warung Makan Bu Sari", "Masakan rumahan",
        "[1] (faq:faq_1) Jam berapa warung buka?", "Buka 07.00", "[2] (faq:faq_2)",
        "Answer only from the sources", "do not cover", "Indonesian"}) {
    EXPECT_NE(sys.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(msgs[1].role, "user");
  EXPECT_EQ(msgs[1].content, "jam brp buka kak?");
}

TEST(BuildGroundedPrompt, KeepsTheLatestTurnsWithinTheBudget) {
  PromptInput in = Input();
  in.language = "en";
  in.history = {{"customer", std::string(400, 'a')},  // 100 tokens: over what is left
                {"bot", "old answer"},
                {"customer", "halo"},
                {"agent", "Halo, ada yang bisa dibantu?"}};
  in.history_token_budget = 20;
  auto msgs = BuildGroundedPrompt(in);
  ASSERT_EQ(msgs.size(), 5u);
  EXPECT_NE(msgs[0].content.find("English"), std::string::npos);
  EXPECT_EQ(msgs[1].content, "old answer");
  EXPECT_EQ(msgs[1].role, "assistant");
  EXPECT_EQ(msgs[2].role, "user");
  EXPECT_EQ(msgs[3].role, "assistant");
  EXPECT_EQ(msgs[4].content, "jam brp buka kak?");

  in.max_history_messages = 1;
  EXPECT_EQ(BuildGroundedPrompt(in).size(), 3u);
}

}  // namespace
}  // namespace milkyhoop::chatbot
