// Contract of ChatbotService, run in-process and over real gRPC, on SQLite and (with
// MILKYHOOP_TEST_PG_DSN) PostgreSQL, against the real rag and business services: conversations
// and their tokens, tiers from real retrieval, hand-off, feedback, the owner's calls, tenancy.
#include <gtest/gtest.h>

#include "milkyhoop/chatbot/chatbot_events.hpp"
#include "milkyhoop/chatbot/chatbot_grpc.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/chatbot_world.hpp"

namespace milkyhoop::chatbot {
namespace {

using sqltest::Backend;
enum class Transport { kInProcess, kGrpc };
using Param = std::tuple<Backend, Transport>;

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return sqltest::BackendName(std::get<0>(info.param)) +
         (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc" : "_InProcess");
}

struct GrpcLoopback : rpc::testing::GrpcLoopback<ChatbotService> {
  explicit GrpcLoopback(ChatbotService& impl)
      : rpc::testing::GrpcLoopback<ChatbotService>(
            impl, [](auto& i) { return MakeChatbotGrpcService(i); },
            [](auto channel) { return MakeChatbotGrpcClient(channel, std::chrono::seconds(20)); }) {
  }
};

class ChatbotContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    const Backend backend = std::get<0>(GetParam());
    if (backend == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    world_ = std::make_unique<testing::ChatbotWorld>(backend);
    MH_ASSERT_OK(world_->status());
    MH_ASSERT_OK_AND_ASSIGN(rag_store_, sqltest::TestDatabase::Open(backend, "mh_cbr_"));
    MH_ASSERT_OK(rag::MigrateRagDatabase(rag_store_->db()));
    rag_ = rag::MakeRagService(rag_store_->db(), clock_);
    rag_->Start();
    ChatbotOptions options;
    options.token_key = testing::kTokenKey;
    MH_ASSERT_OK_AND_ASSIGN(
        host_, MakeChatbotService(world_->chatbot_db(), rag_->service(), world_->businesses(),
                                  world_->security(), clock_, options));
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(host_->service());
    }
    AddFaq(world_->business_a(), "org_a", "Jam berapa warung buka?",
           "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
    AddFaq(world_->business_a(), "org_a", "Apakah menerima pembayaran QRIS?",
           "Ya, kami menerima QRIS, transfer bank BCA, dan tunai.");
    AddFaq(world_->business_a(), "org_a", "Apakah ada tempat parkir?",
           "Ada parkir motor di depan warung dan parkir mobil di halaman masjid sebelah.");
    AddFaq(world_->business_b(), "org_b", "Berapa harga laundry kiloan per kg?",
           "Cuci kering setrika Rp 7.000 per kg.");
  }
  void TearDown() override {
    loopback_.reset();
    if (host_) host_->Stop();
    host_.reset();
    if (rag_) rag_->Stop();
  }

  ChatbotService& Svc() { return loopback_ ? loopback_->client() : host_->service(); }

  std::string AddFaq(const std::string& business, const std::string& org, const std::string& q,
                     const std::string& a) {
    rag::v1::CreateFaqRequest req;
    req.set_org_id(org);
    req.set_business_id(business);
    req.set_actor_id("usr_owner");
    req.set_question(q);
    req.set_answer(a);
    auto created = rag_->service().CreateFaq(req);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->faq().id() : "";
  }

  v1::ChatRequest Ask(const std::string& message, const v1::ChatResponse* continuing = nullptr) {
    v1::ChatRequest r;
    r.set_org_id("org_a");
    r.set_business_id(world_->business_a());
    r.set_message(message);
    r.set_visitor_id("vis_1");
    if (continuing) {
      r.set_conversation_id(continuing->conversation_id());
      r.set_conversation_token(continuing->conversation_token());
    }
    return r;
  }

  std::vector<std::string> EventTypes() {
    auto events = sql::FetchUnsentOutbox(world_->chatbot_db(), 100);
    EXPECT_TRUE(events.ok());
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    return types;
  }

  v1::ChangeConversationStatusResponse Change(const std::string& conversation,
                                              const std::string& action) {
    v1::ChangeConversationStatusRequest req;
    req.set_org_id("org_a");
    req.set_conversation_id(conversation);
    req.set_actor_id("usr_owner");
    req.set_action(action);
    auto r = Svc().ChangeConversationStatus(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : v1::ChangeConversationStatusResponse();
  }

  SystemClock clock_;
  std::unique_ptr<testing::ChatbotWorld> world_;
  std::unique_ptr<sqltest::TestDatabase> rag_store_;
  std::unique_ptr<rag::RagServiceHost> rag_;
  std::unique_ptr<ChatbotServiceHost> host_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

TEST_P(ChatbotContractTest, AnswersFromTheBusinessKnowledgeWithCitations) {
  MH_ASSERT_OK_AND_ASSIGN(auto r, Svc().Chat(Ask("jam brp buka kak?")));
  EXPECT_GE(r.tier(), 1);
  EXPECT_LE(r.tier(), 3);
  ASSERT_GE(r.citations_size(), 1);
  EXPECT_EQ(r.citations(0).source_type(), "faq");
  EXPECT_EQ(r.citations(0).title(), "Jam berapa warung buka?");
  EXPECT_NE(r.answer().find("07.00"), std::string::npos);
  EXPECT_FALSE(r.conversation_id().empty());
  EXPECT_FALSE(r.conversation_token().empty());
  EXPECT_FALSE(r.message_id().empty());
  EXPECT_FALSE(r.handoff());
  EXPECT_EQ(r.language(), "id");
}

TEST_P(ChatbotContractTest, OffTopicAndAnotherBusinesssQuestionsAreDeflected) {
  for (const char* q :
       {"siapa presiden indonesia sekarang", "berapa harga laundry kiloan per kg"}) {
    MH_ASSERT_OK_AND_ASSIGN(auto r, Svc().Chat(Ask(q)));
    EXPECT_EQ(r.tier(), 4) << q;
    EXPECT_EQ(r.citations_size(), 0) << q;
    EXPECT_NE(r.answer().find("Maaf"), std::string::npos) << q;
  }
}

TEST_P(ChatbotContractTest, AConversationContinuesOnlyWithItsToken) {
  MH_ASSERT_OK_AND_ASSIGN(auto first, Svc().Chat(Ask("jam brp buka kak?")));
  MH_ASSERT_OK_AND_ASSIGN(auto second, Svc().Chat(Ask("bisa bayar qris?", &first)));
  EXPECT_EQ(second.conversation_id(), first.conversation_id());

  MH_ASSERT_OK_AND_ASSIGN(auto other, Svc().Chat(Ask("ada parkir?")));
  ASSERT_NE(other.conversation_id(), first.conversation_id());
  v1::ChatRequest stolen = Ask("halo");
  stolen.set_conversation_id(first.conversation_id());
  stolen.set_conversation_token(other.conversation_token());
  MH_EXPECT_CODE(Svc().Chat(stolen), StatusCode::kUnauthenticated);
  stolen.set_conversation_token("");
  MH_EXPECT_CODE(Svc().Chat(stolen), StatusCode::kUnauthenticated);

  // A valid token does not carry a conversation into another business.
  v1::ChatRequest moved = Ask("halo", &first);
  moved.set_org_id("org_b");
  moved.set_business_id(world_->business_b());
  MH_EXPECT_CODE(Svc().Chat(moved), StatusCode::kNotFound);
}

TEST_P(ChatbotContractTest, RefusesEmptyAndOverlongMessages) {
  MH_EXPECT_CODE(Svc().Chat(Ask("   ")), StatusCode::kInvalidArgument);
  MH_EXPECT_CODE(Svc().Chat(Ask(std::string(2001, 'a'))), StatusCode::kInvalidArgument);
  MH_EXPECT_CODE(Svc().Chat(Ask("jam buka\x01?")), StatusCode::kInvalidArgument);
  if (!loopback_) {
    // (gRPC refuses invalid UTF-8 in a string field before the service sees it.)
    MH_EXPECT_CODE(Svc().Chat(Ask("\xff\xfe")), StatusCode::kInvalidArgument);
  }
  // 2,000 characters of two bytes each are within the limit.
  std::string two_byte;
  for (int i = 0; i < 2000; ++i) two_byte += "é";
  MH_EXPECT_OK(Svc().Chat(Ask(two_byte)));
}

TEST_P(ChatbotContractTest, AskingForAHumanHandsOffAndTheBotGoesQuiet) {
  MH_ASSERT_OK_AND_ASSIGN(auto first, Svc().Chat(Ask("jam brp buka kak?")));
  MH_ASSERT_OK_AND_ASSIGN(auto ask, Svc().Chat(Ask("mau bicara dengan admin", &first)));
  EXPECT_TRUE(ask.handoff());
  EXPECT_FALSE(ask.answer().empty()) << "a notice, once";
  auto types = EventTypes();
  ASSERT_EQ(std::count(types.begin(), types.end(), kConversationHandedOffEvent), 1);

  MH_ASSERT_OK_AND_ASSIGN(auto quiet, Svc().Chat(Ask("halo? jam buka?", &first)));
  EXPECT_TRUE(quiet.handoff());
  EXPECT_EQ(quiet.answer(), "");

  v1::GetConversationRequest get;
  get.set_org_id("org_a");
  get.set_conversation_id(first.conversation_id());
  MH_ASSERT_OK_AND_ASSIGN(auto c, Svc().GetConversation(get));
  EXPECT_EQ(c.conversation().status(), "handed_off");

  // The owner answers, then gives the conversation back to the bot.
  v1::PostAgentMessageRequest reply;
  reply.set_org_id("org_a");
  reply.set_conversation_id(first.conversation_id());
  reply.set_actor_id("usr_owner");
  reply.set_text("Halo kak, kami buka jam 7 pagi.");
  MH_ASSERT_OK_AND_ASSIGN(auto agent, Svc().PostAgentMessage(reply));
  EXPECT_EQ(agent.message().role(), "agent");
  EXPECT_EQ(Change(first.conversation_id(), "release").conversation().status(), "open");
  MH_ASSERT_OK_AND_ASSIGN(auto back, Svc().Chat(Ask("jam brp buka kak?", &first)));
  EXPECT_FALSE(back.handoff());
  EXPECT_NE(back.answer().find("07.00"), std::string::npos);

  v1::ListMessagesRequest list;
  list.set_org_id("org_a");
  list.set_conversation_id(first.conversation_id());
  MH_ASSERT_OK_AND_ASSIGN(auto messages, Svc().ListMessages(list));
  std::vector<std::string> roles;
  for (const auto& m : messages.items()) roles.push_back(m.role());
  EXPECT_EQ(roles, (std::vector<std::string>{"customer", "bot", "customer", "bot", "customer",
                                             "agent", "customer", "bot"}));
  // The event carried the conversation's context.
  auto events = sql::FetchUnsentOutbox(world_->chatbot_db(), 100);
  ASSERT_TRUE(events.ok());
  for (const auto& e : *events) {
    if (e.type != kConversationHandedOffEvent) continue;
    v1::ConversationHandedOff payload;
    ASSERT_TRUE(payload.ParseFromString(e.payload));
    EXPECT_EQ(payload.reason(), "customer_request");
    EXPECT_EQ(payload.conversation().id(), first.conversation_id());
    ASSERT_EQ(payload.recent_messages_size(), 3);
    EXPECT_EQ(payload.recent_messages(2).text(), "mau bicara dengan admin");
    EXPECT_EQ(e.tenant_id, "org_a");
  }
}

TEST_P(ChatbotContractTest, RepeatedLowConfidenceHandsOff) {
  MH_ASSERT_OK_AND_ASSIGN(auto one, Svc().Chat(Ask("siapa presiden indonesia sekarang")));
  EXPECT_FALSE(one.handoff());
  MH_ASSERT_OK_AND_ASSIGN(auto two, Svc().Chat(Ask("resep rendang yang enak gimana", &one)));
  EXPECT_FALSE(two.handoff());
  MH_ASSERT_OK_AND_ASSIGN(auto three, Svc().Chat(Ask("skor bola semalam berapa", &one)));
  EXPECT_TRUE(three.handoff()) << "the default hands off after 3 low-confidence turns";
  auto events = sql::FetchUnsentOutbox(world_->chatbot_db(), 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  v1::ConversationHandedOff payload;
  ASSERT_TRUE(payload.ParseFromString(events->front().payload));
  EXPECT_EQ(payload.reason(), "low_confidence");
}

TEST_P(ChatbotContractTest, FeedbackNeedsTheConversationsToken) {
  MH_ASSERT_OK_AND_ASSIGN(auto r, Svc().Chat(Ask("jam brp buka kak?")));
  MH_ASSERT_OK_AND_ASSIGN(auto other, Svc().Chat(Ask("ada parkir?")));
  v1::SubmitFeedbackRequest fb;
  fb.set_message_id(r.message_id());
  fb.set_conversation_token(other.conversation_token());
  fb.set_rating("up");
  MH_EXPECT_CODE(Svc().SubmitFeedback(fb), StatusCode::kUnauthenticated);
  fb.set_conversation_token(r.conversation_token());
  fb.set_rating("sideways");
  MH_EXPECT_CODE(Svc().SubmitFeedback(fb), StatusCode::kInvalidArgument);
  fb.set_rating("down");
  fb.set_comment("kurang jelas");
  MH_EXPECT_OK(Svc().SubmitFeedback(fb));
  fb.set_rating("up");
  MH_EXPECT_OK(Svc().SubmitFeedback(fb));  // changing one's mind replaces the rating
  fb.set_message_id("msg_nope");
  MH_EXPECT_CODE(Svc().SubmitFeedback(fb), StatusCode::kNotFound);

  v1::ListMessagesRequest list;
  list.set_org_id("org_a");
  list.set_conversation_id(r.conversation_id());
  MH_ASSERT_OK_AND_ASSIGN(auto messages, Svc().ListMessages(list));
  ASSERT_EQ(messages.items_size(), 2);
  EXPECT_EQ(messages.items(1).feedback(), "up");
  // The customer's own message takes no rating.
  fb.set_message_id(messages.items(0).id());
  MH_EXPECT_CODE(Svc().SubmitFeedback(fb), StatusCode::kInvalidArgument);
}

TEST_P(ChatbotContractTest, OwnersListFilterAndCloseConversations) {
  MH_ASSERT_OK_AND_ASSIGN(auto a, Svc().Chat(Ask("jam brp buka kak?")));
  MH_ASSERT_OK_AND_ASSIGN(auto b, Svc().Chat(Ask("ada parkir?")));
  MH_ASSERT_OK_AND_ASSIGN(auto c, Svc().Chat(Ask("talk to a person")));
  v1::ListConversationsRequest list;
  list.set_org_id("org_a");
  list.set_business_id(world_->business_a());
  MH_ASSERT_OK_AND_ASSIGN(auto all, Svc().ListConversations(list));
  EXPECT_EQ(all.items_size(), 3);
  list.set_status("handed_off");
  MH_ASSERT_OK_AND_ASSIGN(auto handed, Svc().ListConversations(list));
  ASSERT_EQ(handed.items_size(), 1);
  EXPECT_EQ(handed.items(0).id(), c.conversation_id());
  list.set_status("");
  list.set_limit(2);
  MH_ASSERT_OK_AND_ASSIGN(auto page1, Svc().ListConversations(list));
  ASSERT_EQ(page1.items_size(), 2);
  ASSERT_FALSE(page1.next_cursor().empty());
  list.set_cursor(page1.next_cursor());
  MH_ASSERT_OK_AND_ASSIGN(auto page2, Svc().ListConversations(list));
  EXPECT_EQ(page2.items_size(), 1);
  list.set_status("bogus");
  MH_EXPECT_CODE(Svc().ListConversations(list), StatusCode::kInvalidArgument);
  // Time filters hold real Unix milliseconds (beyond 32 bits).
  v1::ListConversationsRequest recent;
  recent.set_org_id("org_a");
  recent.set_business_id(world_->business_a());
  recent.set_from_ms(clock_.NowUnixMillis() - 3'600'000);
  MH_ASSERT_OK_AND_ASSIGN(auto last_hour, Svc().ListConversations(recent));
  EXPECT_EQ(last_hour.items_size(), 3);
  recent.set_from_ms(clock_.NowUnixMillis() - 7'200'000);
  recent.set_to_ms(clock_.NowUnixMillis() - 3'600'000);
  MH_ASSERT_OK_AND_ASSIGN(auto earlier, Svc().ListConversations(recent));
  EXPECT_EQ(earlier.items_size(), 0);

  EXPECT_EQ(Change(b.conversation_id(), "close").conversation().status(), "closed");
  MH_ASSERT_OK_AND_ASSIGN(auto after, Svc().Chat(Ask("jam brp buka kak?", &b)));
  EXPECT_NE(after.conversation_id(), b.conversation_id()) << "a closed conversation stays closed";
  v1::ChangeConversationStatusRequest release;
  release.set_org_id("org_a");
  release.set_conversation_id(b.conversation_id());
  release.set_action("release");
  MH_EXPECT_CODE(Svc().ChangeConversationStatus(release), StatusCode::kFailedPrecondition);
  (void)a;
}

TEST_P(ChatbotContractTest, AnotherOrganisationSeesNothing) {
  MH_ASSERT_OK_AND_ASSIGN(auto r, Svc().Chat(Ask("jam brp buka kak?")));
  v1::GetConversationRequest get;
  get.set_org_id("org_b");
  get.set_conversation_id(r.conversation_id());
  MH_EXPECT_CODE(Svc().GetConversation(get), StatusCode::kNotFound);
  v1::ListMessagesRequest msgs;
  msgs.set_org_id("org_b");
  msgs.set_conversation_id(r.conversation_id());
  MH_EXPECT_CODE(Svc().ListMessages(msgs), StatusCode::kNotFound);
  v1::PostAgentMessageRequest reply;
  reply.set_org_id("org_b");
  reply.set_conversation_id(r.conversation_id());
  reply.set_text("hi");
  MH_EXPECT_CODE(Svc().PostAgentMessage(reply), StatusCode::kNotFound);
  v1::ChangeConversationStatusRequest close;
  close.set_org_id("org_b");
  close.set_conversation_id(r.conversation_id());
  close.set_action("close");
  MH_EXPECT_CODE(Svc().ChangeConversationStatus(close), StatusCode::kNotFound);
  v1::ListConversationsRequest list;
  list.set_org_id("org_b");
  list.set_business_id(world_->business_a());
  MH_ASSERT_OK_AND_ASSIGN(auto none, Svc().ListConversations(list));
  EXPECT_EQ(none.items_size(), 0);
  v1::GetBotRequest bot;
  bot.set_org_id("org_b");
  bot.set_business_id(world_->business_a());
  MH_EXPECT_CODE(Svc().GetBot(bot), StatusCode::kNotFound);
  v1::LocateConversationRequest locate;
  locate.set_conversation_id(r.conversation_id());
  MH_ASSERT_OK_AND_ASSIGN(auto where, Svc().LocateConversation(locate));
  EXPECT_EQ(where.org_id(), "org_a");
  EXPECT_EQ(where.business_id(), world_->business_a());
}

TEST_P(ChatbotContractTest, BotSettingsHaveDefaultsAndAreValidated) {
  v1::GetBotRequest get;
  get.set_org_id("org_a");
  get.set_business_id(world_->business_a());
  MH_ASSERT_OK_AND_ASSIGN(auto defaults, Svc().GetBot(get));
  EXPECT_DOUBLE_EQ(defaults.bot().thresholds().direct(), 0.85);
  EXPECT_DOUBLE_EQ(defaults.bot().thresholds().grounded(), 0.60);
  EXPECT_DOUBLE_EQ(defaults.bot().thresholds().deep(), 0.30);
  EXPECT_EQ(defaults.bot().llm().timeout_ms(), 8000);
  EXPECT_EQ(defaults.bot().daily_budget().amount(), 100000);
  EXPECT_FALSE(defaults.bot().llm().api_key_set());

  v1::UpdateBotRequest up;
  up.set_org_id("org_a");
  up.set_business_id(world_->business_a());
  up.set_actor_id("usr_owner");
  *up.mutable_bot() = defaults.bot();
  up.mutable_bot()->set_deflection_message("Maaf kak, tanya admin ya.");
  up.mutable_bot()->set_greeting("Halo! Ada yang bisa dibantu?");
  up.set_llm_api_key("sk-abc");
  MH_ASSERT_OK_AND_ASSIGN(auto updated, Svc().UpdateBot(up));
  EXPECT_TRUE(updated.bot().llm().api_key_set());
  EXPECT_EQ(updated.bot().greeting(), "Halo! Ada yang bisa dibantu?");
  MH_ASSERT_OK_AND_ASSIGN(auto off_topic, Svc().Chat(Ask("siapa presiden indonesia sekarang")));
  EXPECT_EQ(off_topic.answer(), "Maaf kak, tanya admin ya.");

  up.clear_llm_api_key();  // absent: the key stays
  MH_ASSERT_OK_AND_ASSIGN(auto kept, Svc().UpdateBot(up));
  EXPECT_TRUE(kept.bot().llm().api_key_set());
  up.set_llm_api_key("");  // "": removed
  MH_ASSERT_OK_AND_ASSIGN(auto removed, Svc().UpdateBot(up));
  EXPECT_FALSE(removed.bot().llm().api_key_set());

  up.mutable_bot()->mutable_thresholds()->set_deep(0.9);
  up.mutable_bot()->mutable_llm()->set_base_url("ftp://x");
  auto bad = Svc().UpdateBot(up);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& e : bad.status().field_errors()) fields.push_back(e.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "thresholds"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "llm.base_url"), fields.end());
}

INSTANTIATE_TEST_SUITE_P(Backends, ChatbotContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::Values(Transport::kInProcess,
                                                              Transport::kGrpc)),
                         ParamName);

}  // namespace
}  // namespace milkyhoop::chatbot
