// The tier router against a real OpenAI-compatible server nobody on this team wrote
// (llama-cpp-python with SmolLM2-135M: scripts/llm-start.sh), through the real LLM client. Runs
// only when MILKYHOOP_TEST_LLM_URL is set, e.g. http://127.0.0.1:58080/v1
// (MILKYHOOP_TEST_LLM_MODEL overrides the model name, default "smollm2"). Checks what a customer
// notices: tier 2/3 answers arrive as several deltas over time with the sources they were given
// cited, a spent daily budget answers extractively without calling the LLM, and an LLM that
// cannot be reached answers from the best source, flagged.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "milkyhoop/chatbot/chatbot_events.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/core/testing/test_env.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/chatbot_world.hpp"
#include "testing/fake_llm.hpp"

namespace milkyhoop::chatbot {
namespace {

using milkyhoop::testing::TestEnv;
using milkyhoop::testing::UnusedLoopbackPort;

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using testing::FakeRag;

// Sources as the knowledge search would give them: the warung's FAQs, best first.
rag::v1::SearchResponse WarungSources(double confidence) {
  static const std::pair<const char*, const char*> kFaqs[] = {
      {"Jam berapa warung buka?", "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB."},
      {"Apakah bisa pesan antar?", "Bisa, pesan antar lewat WhatsApp untuk jarak sampai 5 km."},
      {"Apakah menerima QRIS?", "Ya, kami menerima QRIS, transfer bank BCA, dan tunai."},
      {"Apakah ada tempat parkir?", "Ada parkir motor di depan warung."},
      {"Apakah ada menu vegetarian?", "Ada gado-gado dan sayur lodeh tanpa daging."}};
  rag::v1::SearchResponse r;
  r.set_confidence(confidence);
  int i = 0;
  for (const auto& [q, a] : kFaqs) {
    auto* x = r.add_results();
    x->set_source_type("faq");
    x->set_source_id("faq_" + std::to_string(i++));
    x->set_title(q);
    x->set_text(a);
    x->set_score(confidence);
  }
  return r;
}

// A streamed turn as the customer sees it, with the arrival time of each delta.
struct StreamedTurn {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> deltas;
  std::vector<SteadyClock::time_point> delta_at;
  std::optional<v1::ChatResponse> done;
  SteadyClock::time_point done_at;
  bool meta_first = false;

  ChatCallbacks Callbacks() {
    ChatCallbacks c;
    c.on_meta = [this](const v1::ChatResponse&) {
      std::lock_guard lock(mu);
      meta_first = deltas.empty() && !done;
    };
    c.on_delta = [this](std::string_view d) {
      std::lock_guard lock(mu);
      deltas.emplace_back(d);
      delta_at.push_back(SteadyClock::now());
    };
    c.on_done = [this](const v1::ChatResponse& r) {
      std::lock_guard lock(mu);
      done = r;
      done_at = SteadyClock::now();
      cv.notify_all();
    };
    return c;
  }
  bool Wait(std::chrono::seconds limit) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, limit, [&] { return done.has_value(); });
  }
};

class RealLlmChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = TestEnv("MILKYHOOP_TEST_LLM_URL");
    if (base_url_.empty()) {
      GTEST_SKIP() << "MILKYHOOP_TEST_LLM_URL is not set (start the test server with "
                      "scripts/llm-start.sh and export the URL it prints)";
    }
    world_ = std::make_unique<testing::ChatbotWorld>(sqltest::Backend::kSqlite);
    MH_ASSERT_OK(world_->status());
    llm_ = llm::LlmClient::Create({});
    ChatbotOptions options;
    options.token_key = testing::kTokenKey;
    options.llm = llm_.get();
    options.default_price = {5, 15};  // milli-rupiah per token: 5 prompt, 15 completion
    MH_ASSERT_OK_AND_ASSIGN(host_,
                            MakeChatbotService(world_->chatbot_db(), rag_, world_->businesses(),
                                               world_->security(), clock_, options));
  }
  void TearDown() override {
    if (host_) host_->Stop();
  }

  ChatbotService& Svc() { return host_->service(); }

  void ConfigureBot(const std::string& base_url, std::int64_t daily_budget) {
    v1::GetBotRequest get;
    get.set_org_id("org_a");
    get.set_business_id(world_->business_a());
    auto bot = Svc().GetBot(get);
    ASSERT_TRUE(bot.ok()) << bot.status().ToString();
    v1::UpdateBotRequest up;
    up.set_org_id("org_a");
    up.set_business_id(world_->business_a());
    up.set_actor_id("usr_owner");
    *up.mutable_bot() = bot->bot();
    auto* llm = up.mutable_bot()->mutable_llm();
    llm->set_base_url(base_url);
    llm->set_model(TestEnv("MILKYHOOP_TEST_LLM_MODEL", "smollm2"));
    llm->set_temperature(0.0);
    llm->set_max_tokens(24);
    // A 135M model on two shared cores: roomy limits, this is not a latency test.
    llm->set_timeout_ms(120'000);
    up.mutable_bot()->mutable_daily_budget()->set_amount(daily_budget);
    MH_ASSERT_OK(Svc().UpdateBot(up));
  }

  v1::ChatRequest Ask(const std::string& message) {
    v1::ChatRequest r;
    r.set_org_id("org_a");
    r.set_business_id(world_->business_a());
    r.set_message(message);
    r.set_visitor_id("vis_real");
    return r;
  }

  v1::Message BotMessageOf(const v1::ChatResponse& r) {
    v1::ListMessagesRequest list;
    list.set_org_id("org_a");
    list.set_conversation_id(r.conversation_id());
    auto messages = Svc().ListMessages(list);
    EXPECT_TRUE(messages.ok()) << messages.status().ToString();
    if (messages.ok()) {
      for (const auto& m : messages->items()) {
        if (m.id() == r.message_id()) return m;
      }
    }
    ADD_FAILURE() << "no recorded message " << r.message_id();
    return v1::Message();
  }

  // Streams one turn and checks what every LLM answer must show.
  void ExpectStreamedLlmAnswer(const std::string& question, int tier, int sources) {
    StreamedTurn turn;
    const auto started = SteadyClock::now();
    MH_ASSERT_OK(Svc().StreamChat(Ask(question), turn.Callbacks()));
    EXPECT_LT(SteadyClock::now() - started, 5s) << "StreamChat returns before the LLM answers";
    ASSERT_TRUE(turn.Wait(180s)) << "no answer from the LLM";
    std::lock_guard lock(turn.mu);
    const v1::ChatResponse& done = *turn.done;
    EXPECT_TRUE(turn.meta_first);
    EXPECT_EQ(done.tier(), tier);
    EXPECT_FALSE(done.fallback()) << done.answer();
    EXPECT_FALSE(done.cached());
    ASSERT_EQ(done.citations_size(), sources);
    for (int i = 0; i < sources; ++i) {
      EXPECT_EQ(done.citations(i).source_id(), "faq_" + std::to_string(i));
    }
    ASSERT_GE(turn.deltas.size(), 2u) << done.answer();
    std::string joined;
    for (const auto& d : turn.deltas) joined += d;
    EXPECT_EQ(joined, done.answer());
    EXPECT_FALSE(done.answer().empty());
    // Incremental: the first delta reached the customer while the model was still generating.
    EXPECT_LT(turn.delta_at.front(), turn.delta_at.back());
    EXPECT_LT(turn.delta_at.front(), turn.done_at);
    const auto first_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(turn.delta_at.front() - started);
    const auto total_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(turn.done_at - started);
    std::printf("[ measured ] tier %d: %zu deltas, first after %lld ms, done after %lld ms\n", tier,
                turn.deltas.size(), static_cast<long long>(first_ms.count()),
                static_cast<long long>(total_ms.count()));
  }

  int CountEvents(std::string_view type) {
    auto events = sql::FetchUnsentOutbox(world_->chatbot_db(), 100);
    EXPECT_TRUE(events.ok());
    int n = 0;
    for (const auto& e : *events) n += e.type == type ? 1 : 0;
    return n;
  }

  std::string base_url_;
  SystemClock clock_;
  FakeRag rag_;
  std::unique_ptr<llm::LlmClient> llm_;
  std::unique_ptr<testing::ChatbotWorld> world_;
  std::unique_ptr<ChatbotServiceHost> host_;
};

TEST_F(RealLlmChatTest, TiersTwoAndThreeStreamTheModelsAnswerWithTheirSources) {
  ConfigureBot(base_url_, 100'000);
  rag_.SetSearch(WarungSources(0.7));
  ExpectStreamedLlmAnswer("kak bisa pesan antar gak?", 2, 2);
  rag_.SetSearch(WarungSources(0.4));
  ExpectStreamedLlmAnswer("ada menu tanpa daging?", 3, 4);

  // Recorded with the server's token usage and priced against the day's budget.
  rag_.SetSearch(WarungSources(0.7));
  MH_ASSERT_OK_AND_ASSIGN(auto whole, Svc().Chat(Ask("bayarnya bisa pakai apa aja?")));
  EXPECT_EQ(whole.tier(), 2);
  EXPECT_FALSE(whole.fallback()) << whole.answer();
  const v1::Message m = BotMessageOf(whole);
  EXPECT_GT(m.prompt_tokens(), 50) << "the grounded prompt holds the sources";
  EXPECT_GT(m.completion_tokens(), 0);
  EXPECT_LE(m.completion_tokens(), 24) << "max_tokens reached the server";
}

TEST_F(RealLlmChatTest, ASpentBudgetAnswersExtractivelyWithoutTheLlm) {
  // Rp 1 a day (1,000 milli): the grounded prompt alone costs more, so one call spends it.
  ConfigureBot(base_url_, 1);
  rag_.SetSearch(WarungSources(0.7));
  MH_ASSERT_OK_AND_ASSIGN(auto first, Svc().Chat(Ask("kak bisa pesan antar gak?")));
  EXPECT_FALSE(first.fallback()) << "the call that spends the budget still answers";
  EXPECT_GT(BotMessageOf(first).prompt_tokens(), 0);
  EXPECT_EQ(CountEvents(kBudgetExhaustedEvent), 1);

  MH_ASSERT_OK_AND_ASSIGN(auto second, Svc().Chat(Ask("jam berapa buka?")));
  EXPECT_TRUE(second.fallback());
  EXPECT_EQ(second.tier(), 2);
  EXPECT_EQ(second.answer(), "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
  ASSERT_GE(second.citations_size(), 1);
  EXPECT_EQ(second.citations(0).source_id(), "faq_0");
  const v1::Message m = BotMessageOf(second);
  EXPECT_TRUE(m.fallback());
  EXPECT_EQ(m.prompt_tokens(), 0) << "no LLM call once the budget is spent";
  EXPECT_EQ(CountEvents(kBudgetExhaustedEvent), 1) << "announced once a day";
}

TEST_F(RealLlmChatTest, AnUnreachableLlmFallsBackToTheBestSourceFlagged) {
  const int port = UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  ConfigureBot("http://127.0.0.1:" + std::to_string(port) + "/v1", 100'000);
  rag_.SetSearch(WarungSources(0.7));
  StreamedTurn turn;
  MH_ASSERT_OK(Svc().StreamChat(Ask("kak bisa pesan antar gak?"), turn.Callbacks()));
  ASSERT_TRUE(turn.Wait(60s));
  std::lock_guard lock(turn.mu);
  const v1::ChatResponse& done = *turn.done;
  EXPECT_TRUE(done.fallback());
  EXPECT_EQ(done.tier(), 2);
  EXPECT_EQ(done.answer(), "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
  std::string joined;
  for (const auto& d : turn.deltas) joined += d;
  EXPECT_EQ(joined, done.answer()) << "the customer still gets the source's text";
  EXPECT_EQ(done.citations(0).source_id(), "faq_0");
  const v1::Message m = BotMessageOf(done);
  EXPECT_TRUE(m.fallback()) << "the record says the LLM failed";
  EXPECT_FALSE(m.cached());
}

}  // namespace
}  // namespace milkyhoop::chatbot
