#include "handoff_phrases.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::chatbot {
namespace {

TEST(HandoffPhrases, CustomersAskingForAHumanMatch) {
  const auto& p = HandoffPhrases::Default();
  for (const char* m :
       {"mau bicara dengan admin", "Bisa ngobrol sama orangnya?", "talk to a person",
        "Can I TALK TO A HUMAN please!!", "kak, minta admin dong", "hubungkan ke admin ya"}) {
    EXPECT_TRUE(p.Matches(m)) << m;
  }
}

TEST(HandoffPhrases, OrdinaryQuestionsDoNotMatch) {
  const auto& p = HandoffPhrases::Default();
  for (const char* m : {"mau booking meja buat 15 orang", "jam brp buka kak?", "bisa delivery gak?",
                        "What time do you open?", "ada menu buat vegetarian?", "administrasi",
                        "personal", "biaya admin transfer berapa?"}) {
    EXPECT_FALSE(p.Matches(m)) << m;
  }
}

TEST(HandoffPhrases, WordsMustBeConsecutiveAndInOrder) {
  HandoffPhrases p("# c\ntalk to a person\n");
  EXPECT_EQ(p.size(), 1u);
  EXPECT_TRUE(p.Matches("i want to talk to a person now"));
  EXPECT_FALSE(p.Matches("a person to talk"));
  EXPECT_FALSE(p.Matches("talk to a nice person"));
}

}  // namespace
}  // namespace milkyhoop::chatbot
