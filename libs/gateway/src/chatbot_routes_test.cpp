// The chatbot's HTTP routes driven through the router as the gateway does, over real in-process
// services on SQLite (org, business, security, rag, chatbot) and a scripted LLM: the public
// profile and chat (JSON and Server-Sent Events: meta, deltas as the LLM produces them, done; a
// client that goes away cancels the upstream request; the per-business stream cap), feedback,
// the owner's bot settings and conversations, and tenancy (another organisation gets 404).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/gateway/chatbot_routes.hpp"
#include "milkyhoop/http/event_stream.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"
#include "testing/fake_llm.hpp"

namespace milkyhoop::gateway {
namespace {

using chatbot::testing::FakeLlm;
using nlohmann::json;
using sqltest::Backend;
using sqltest::TestDatabase;

struct Reply {
  int status = 0;
  json body;
  http::Response raw;
};

struct SseEvent {
  std::string name;
  json data;
};

// The client side of an event stream: reads what the producer sent, as a connection would.
class SseClient {
 public:
  explicit SseClient(std::shared_ptr<http::EventStream> stream)
      : stream_(std::move(stream)), signal_(std::make_shared<Signal>()) {
    // The producer may still hold the wake callback for a moment after Cancel(): it keeps the
    // signal alive, never this client.
    stream_->Attach([signal = signal_] {
      std::lock_guard lock(signal->mu);
      ++signal->wakes;
      signal->cv.notify_all();
    });
  }
  ~SseClient() { stream_->Cancel(); }

  // Waits until `n` events arrived (or the stream closed), up to 20 s.
  bool WaitEvents(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      Drain();
      if (events_.size() >= n) return true;
      if (closed_) return false;
      std::unique_lock lock(signal_->mu);
      if (!signal_->cv.wait_until(lock, deadline, [&] { return signal_->wakes != seen_; })) {
        lock.unlock();
        Drain();
        return events_.size() >= n;
      }
      seen_ = signal_->wakes;
    }
  }
  // Reads until the producer closes the stream.
  bool WaitClosed() {
    while (!closed_) {
      const std::size_t before = events_.size();
      if (!WaitEvents(before + 1) && !closed_) return false;
    }
    return true;
  }
  const std::vector<SseEvent>& events() {
    Drain();
    return events_;
  }
  std::string DeltaText() {
    std::string text;
    for (const auto& e : events()) {
      if (e.name == "delta") text += e.data.value("text", "");
    }
    return text;
  }
  // The client goes away (what the server does when the socket closes).
  void Disconnect() { stream_->Cancel(); }

 private:
  void Drain() {
    http::EventStream::Batch batch = stream_->Take();
    pending_ += batch.data;
    std::size_t end;
    while ((end = pending_.find("\n\n")) != std::string::npos) {
      const std::string block = pending_.substr(0, end);
      pending_.erase(0, end + 2);
      SseEvent e;
      std::string data;
      std::size_t start = 0;
      while (start <= block.size()) {
        std::size_t nl = block.find('\n', start);
        if (nl == std::string::npos) nl = block.size();
        const std::string line = block.substr(start, nl - start);
        if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
        if (line.rfind("data: ", 0) == 0) data += (data.empty() ? "" : "\n") + line.substr(6);
        start = nl + 1;
      }
      e.data = json::parse(data, nullptr, false);
      events_.push_back(std::move(e));
    }
    if (batch.closed) closed_ = true;
  }

  struct Signal {
    std::mutex mu;
    std::condition_variable cv;
    std::uint64_t wakes = 0;
  };
  std::shared_ptr<http::EventStream> stream_;
  std::shared_ptr<Signal> signal_;
  std::uint64_t seen_ = 0;
  std::string pending_;
  std::vector<SseEvent> events_;
  bool closed_ = false;
};

class ChatbotRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { Build({}); }

  // (Re)builds the router with these options, over the same services.
  void Build(ChatRouteOptions route_options) {
    if (!chatbot_) {
      MH_ASSERT_OK_AND_ASSIGN(org_store_, TestDatabase::Open(Backend::kSqlite, "mh_cro_"));
      MH_ASSERT_OK_AND_ASSIGN(biz_store_, TestDatabase::Open(Backend::kSqlite, "mh_crb_"));
      MH_ASSERT_OK_AND_ASSIGN(rag_store_, TestDatabase::Open(Backend::kSqlite, "mh_crr_"));
      MH_ASSERT_OK_AND_ASSIGN(chat_store_, TestDatabase::Open(Backend::kSqlite, "mh_crc_"));
      MH_ASSERT_OK(org::MigrateOrgDatabase(org_store_->db()));
      MH_ASSERT_OK(business::MigrateBusinessDatabase(biz_store_->db()));
      MH_ASSERT_OK(rag::MigrateRagDatabase(rag_store_->db()));
      MH_ASSERT_OK(chatbot::MigrateChatbotDatabase(chat_store_->db()));
      orgs_ = org::MakeOrgService(org_store_->db(), clock_);
      security_ = security::MakeSecurityService(crypto::KeyRing::Generate());
      businesses_ = business::MakeBusinessService(biz_store_->db(), *security_, clock_);
      rag_ = rag::MakeRagService(rag_store_->db(), clock_);
      rag_->Start();
      chatbot::ChatbotOptions options;
      options.token_key = "route-test-conversation-token-key-32+bytes";
      options.llm = &llm_;
      MH_ASSERT_OK_AND_ASSIGN(
          chatbot_, chatbot::MakeChatbotService(chat_store_->db(), rag_->service(), *businesses_,
                                                *security_, clock_, options));
      org_a_ = CreateOrg("usr_owner_a");
      org_b_ = CreateOrg("usr_owner_b");
      AddMember(org_a_, "usr_owner_a", "usr_viewer_a", "viewer");
      biz_a_ = CreateBusiness(org_a_, "Warung Makan Bu Sari");
      biz_b_ = CreateBusiness(org_b_, "Laundry Kilat");
      faq_hours_ = AddFaq(org_a_, biz_a_, "Jam berapa warung buka?",
                          "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
      AddFaq(org_a_, biz_a_, "Apakah menerima pembayaran QRIS?",
             "Ya, kami menerima QRIS, transfer bank BCA, dan tunai.");
      AddFaq(org_b_, biz_b_, "Berapa harga laundry kiloan per kg?",
             "Cuci kering setrika Rp 7.000 per kg.");
    }
    router_ = std::make_unique<http::Router>();
    MH_ASSERT_OK(
        RegisterChatbotRoutes(*router_, *orgs_, *businesses_, chatbot_->service(), route_options));
  }

  void TearDown() override {
    if (chatbot_) chatbot_->Stop();
    if (rag_) rag_->Stop();
  }

  std::string CreateOrg(const std::string& owner) {
    org::v1::CreateOrgRequest req;
    req.set_name("Org of " + owner);
    req.mutable_audit()->set_actor_id(owner);
    auto res = orgs_->CreateOrg(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->org().id() : "";
  }

  void AddMember(const std::string& org_id, const std::string& actor, const std::string& user,
                 const std::string& role) {
    org::v1::AddMemberRequest req;
    req.set_org_id(org_id);
    req.set_email(user + "@example.com");
    req.set_role(role);
    req.mutable_user()->set_user_id(user);
    req.mutable_user()->set_email(user + "@example.com");
    req.mutable_user()->set_name(user);
    req.mutable_audit()->set_actor_id(actor);
    auto res = orgs_->AddMember(req);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
  }

  std::string CreateBusiness(const std::string& org_id, const std::string& name) {
    business::v1::CreateBusinessRequest req;
    req.set_org_id(org_id);
    req.set_actor_id("usr_owner");
    req.set_name(name);
    req.set_description("Usaha keluarga");
    req.set_category("restaurant");
    req.set_language("id");
    req.set_currency("IDR");
    auto res = businesses_->CreateBusiness(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    if (!res.ok()) return "";
    slugs_[res->business().id()] = res->business().slug();
    return res->business().id();
  }

  std::string AddFaq(const std::string& org, const std::string& business, const std::string& q,
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

  Reply Call(const std::string& method, const std::string& target, const std::string& user,
             const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    // The request's views must outlive the handler call: keep their text here.
    auto& target_text = texts_.emplace_back(target);
    auto& body_text = texts_.emplace_back(body);
    http::Request req;
    const std::size_t q = target_text.find('?');
    req.method = method;
    req.target = target_text;
    req.path = std::string_view(target_text).substr(0, q);
    req.query =
        q == std::string::npos ? std::string_view() : std::string_view(target_text).substr(q + 1);
    req.body = body_text;
    headers.emplace_back("Content-Type", "application/json");
    for (const auto& [k, v] : headers) {
      req.headers.emplace_back(texts_.emplace_back(k), texts_.emplace_back(v));
    }
    if (!user.empty()) {
      http::Principal p;
      p.subject_id = user;
      req.principal = p;
    }
    auto match = router_->Find(req.method, req.path, req);
    Reply reply;
    if (match.route == nullptr) {
      reply.status = match.path_known ? 405 : 404;
      return reply;
    }
    req.route = match.route;
    reply.raw = match.route->handler(req);
    reply.status = reply.raw.status;
    if (!reply.raw.stream && !reply.raw.body.empty()) {
      reply.body = json::parse(reply.raw.body, nullptr, false);
    }
    return reply;
  }

  std::string ChatPath(const std::string& business) {
    return "/v1/public/businesses/" + slugs_[business] + "/chat";
  }
  Reply Ask(const std::string& message, const json& extra = json::object(),
            const std::string& business = "") {
    json body = extra;
    body["message"] = message;
    return Call("POST", ChatPath(business.empty() ? biz_a_ : business), "", body.dump());
  }

  // Bot settings that send every answerable question to the LLM (tier 2).
  void ConfigureLlmBot() {
    Reply put = Call("PUT", "/v1/businesses/" + biz_a_ + "/bot", "usr_owner_a",
                     json({{"thresholds", {{"direct", 1.0}, {"grounded", 0.01}, {"deep", 0.0}}},
                           {"llm",
                            {{"base_url", "http://127.0.0.1:9/v1"},
                             {"model", "test-model"},
                             {"api_key", "sk-route-test"}}}})
                         .dump());
    ASSERT_EQ(put.status, 200) << put.raw.body;
  }

  std::string FieldOf(const Reply& r) {
    if (!r.body.contains("errors") || r.body["errors"].empty()) return "";
    return r.body["errors"][0].value("field", "");
  }

  ManualClock clock_;
  FakeLlm llm_;
  std::unique_ptr<TestDatabase> org_store_, biz_store_, rag_store_, chat_store_;
  std::unique_ptr<org::OrgService> orgs_;
  std::unique_ptr<security::SecurityService> security_;
  std::unique_ptr<business::BusinessService> businesses_;
  std::unique_ptr<rag::RagServiceHost> rag_;
  std::unique_ptr<chatbot::ChatbotServiceHost> chatbot_;
  std::unique_ptr<http::Router> router_;
  std::deque<std::string> texts_;
  std::map<std::string, std::string> slugs_;
  std::string org_a_, org_b_, biz_a_, biz_b_, faq_hours_;
};

TEST_F(ChatbotRoutesTest, PublicProfileIsFoundBySlug) {
  Reply bot = Call("PUT", "/v1/businesses/" + biz_a_ + "/bot", "usr_owner_a",
                   R"({"greeting": "Halo kak! Mau tanya apa?"})");
  ASSERT_EQ(bot.status, 200) << bot.raw.body;
  Reply r = Call("GET", "/v1/public/businesses/" + slugs_[biz_a_], "");
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["name"], "Warung Makan Bu Sari");
  EXPECT_EQ(r.body["greeting"], "Halo kak! Mau tanya apa?");
  EXPECT_EQ(r.body["language"], "id");
  EXPECT_EQ(Call("GET", "/v1/public/businesses/no-such-shop", "").status, 404);
  EXPECT_EQ(Call("GET", "/v1/public/businesses/" + std::string(300, 'x'), "").status, 404);
}

TEST_F(ChatbotRoutesTest, ChatAnswersInJsonAndContinuesOnlyWithTheToken) {
  Reply first = Ask("jam brp buka kak?", {{"visitor_id", "vis_1"}});
  ASSERT_EQ(first.status, 200) << first.raw.body;
  EXPECT_GE(first.body["tier"].get<int>(), 1);
  EXPECT_LE(first.body["tier"].get<int>(), 3);
  ASSERT_FALSE(first.body["citations"].empty());
  EXPECT_EQ(first.body["citations"][0]["source_id"], faq_hours_);
  EXPECT_NE(first.body["answer"].get<std::string>().find("07.00"), std::string::npos);
  EXPECT_EQ(first.body["handoff"], false);
  EXPECT_EQ(llm_.calls(), 0) << "no LLM configured: nothing is sent to one";

  Reply next = Ask("bisa bayar qris?", {{"conversation_id", first.body["conversation_id"]},
                                        {"conversation_token", first.body["conversation_token"]}});
  ASSERT_EQ(next.status, 200) << next.raw.body;
  EXPECT_EQ(next.body["conversation_id"], first.body["conversation_id"]);

  Reply other = Ask("ada parkir?");
  ASSERT_EQ(other.status, 200);
  Reply stolen = Ask("halo", {{"conversation_id", first.body["conversation_id"]},
                              {"conversation_token", other.body["conversation_token"]}});
  EXPECT_EQ(stolen.status, 401) << stolen.raw.body;
  Reply tokenless = Ask("halo", {{"conversation_id", first.body["conversation_id"]}});
  EXPECT_EQ(tokenless.status, 401) << tokenless.raw.body;
  // The conversation does not move to another business either.
  Reply moved = Ask("halo",
                    {{"conversation_id", first.body["conversation_id"]},
                     {"conversation_token", first.body["conversation_token"]}},
                    biz_b_);
  EXPECT_EQ(moved.status, 404) << moved.raw.body;
}

TEST_F(ChatbotRoutesTest, ChatRefusesBadInputWith400NamingTheField) {
  Reply too_long = Ask(std::string(2001, 'a'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(FieldOf(too_long), "message");
  Reply missing = Call("POST", ChatPath(biz_a_), "", R"({"visitor_id": "v"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(FieldOf(missing), "message");
  Reply wrong_type = Call("POST", ChatPath(biz_a_), "", R"({"message": 42})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(Call("POST", ChatPath(biz_a_), "", "{not json").status, 400);
  EXPECT_EQ(Call("POST", "/v1/public/businesses/nope/chat", "", R"({"message": "hi"})").status,
            404);
}

TEST_F(ChatbotRoutesTest, SseSendsMetaThenDeltasAsTheLlmProducesThemThenDone) {
  ConfigureLlmBot();
  FakeLlm::Script script;
  script.deltas = {"Kami ", "buka ", "jam 7."};
  script.step_by_step = true;
  llm_.SetScript(script);
  Reply r = Ask("besok warungnya buka dari jam berapa ya kak?", {{"stream", true}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  ASSERT_TRUE(r.raw.stream) << "an event stream, returned before the LLM answered";
  EXPECT_EQ(r.raw.content_type.rfind("text/event-stream", 0), 0u) << r.raw.content_type;
  SseClient client(r.raw.stream);
  ASSERT_TRUE(client.WaitEvents(1));
  EXPECT_EQ(client.events()[0].name, "meta");
  llm_.Release();
  ASSERT_TRUE(client.WaitEvents(2));
  // One delta is out while the LLM has not produced the next: nothing is held back.
  ASSERT_EQ(client.events().size(), 2u) << client.events().back().data.dump();
  EXPECT_EQ(client.events()[1].name, "delta");
  EXPECT_EQ(client.events()[1].data["text"], "Kami ");
  llm_.Release();
  llm_.Release();
  ASSERT_TRUE(client.WaitClosed());
  const auto& events = client.events();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2].name, "delta");
  EXPECT_EQ(events[3].name, "delta");
  EXPECT_EQ(events[4].name, "done");
  EXPECT_EQ(client.DeltaText(), "Kami buka jam 7.");
  const json& meta = events[0].data;
  const json& done = events[4].data;
  EXPECT_FALSE(meta["conversation_id"].get<std::string>().empty());
  EXPECT_FALSE(meta["conversation_token"].get<std::string>().empty());
  EXPECT_EQ(done["message_id"], meta["message_id"]);
  EXPECT_EQ(done["tier"], 2);
  EXPECT_EQ(done["fallback"], false);
  ASSERT_FALSE(done["citations"].empty());
  EXPECT_EQ(done["citations"][0]["source_id"], faq_hours_);
  ASSERT_EQ(llm_.requests().size(), 1u);
  EXPECT_EQ(llm_.requests()[0].endpoint.api_key, "sk-route-test");

  // The owner sees the streamed answer recorded whole.
  const std::string messages =
      "/v1/conversations/" + meta["conversation_id"].get<std::string>() + "/messages";
  Reply listed;
  for (int i = 0; i < 200; ++i) {  // recorded on the service's worker right after done
    listed = Call("GET", messages, "usr_owner_a");
    if (listed.status == 200 && listed.body["items"].size() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(listed.status, 200) << listed.raw.body;
  ASSERT_EQ(listed.body["items"].size(), 2u);
  EXPECT_EQ(listed.body["items"][1]["text"], "Kami buka jam 7.");
  EXPECT_EQ(listed.body["items"][1]["usage"]["completion_tokens"], 20);
}

TEST_F(ChatbotRoutesTest, AnAnswerKnownAtOnceStreamsAsDeltasOfAFewWords) {
  // No LLM: tier 1 or an extractive answer, still meta → deltas → done, also via Accept.
  Reply r = Call("POST", ChatPath(biz_a_), "", R"({"message": "jam brp buka kak?"})",
                 {{"Accept", "text/event-stream"}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  ASSERT_TRUE(r.raw.stream);
  SseClient client(r.raw.stream);
  ASSERT_TRUE(client.WaitClosed());
  const auto& events = client.events();
  ASSERT_GE(events.size(), 4u) << "meta, at least two deltas, done";
  EXPECT_EQ(events.front().name, "meta");
  EXPECT_EQ(events.back().name, "done");
  for (std::size_t i = 1; i + 1 < events.size(); ++i) EXPECT_EQ(events[i].name, "delta");
  EXPECT_EQ(client.DeltaText(), "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
}

TEST_F(ChatbotRoutesTest, AClientThatGoesAwayCancelsTheUpstreamRequest) {
  ConfigureLlmBot();
  FakeLlm::Script script;
  script.deltas = {"Kami ", "buka ", "jam 7."};
  script.step_by_step = true;
  llm_.SetScript(script);
  Reply r = Ask("besok warungnya buka dari jam berapa ya kak?", {{"stream", true}});
  ASSERT_TRUE(r.raw.stream) << r.raw.body;
  SseClient client(r.raw.stream);
  llm_.Release();
  ASSERT_TRUE(client.WaitEvents(2));
  client.Disconnect();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (llm_.cancellations() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(llm_.cancellations(), 1);
  EXPECT_EQ(llm_.calls(), 1);
}

TEST_F(ChatbotRoutesTest, StreamsPerBusinessAreCapped) {
  Build({.max_message_chars = 2000, .max_streams_per_business = 1});
  ConfigureLlmBot();
  FakeLlm::Script script;
  script.deltas = {"Satu ", "dua."};
  script.step_by_step = true;
  llm_.SetScript(script);
  Reply first = Ask("besok warungnya buka dari jam berapa ya kak?", {{"stream", true}});
  ASSERT_TRUE(first.raw.stream) << first.raw.body;
  Reply second = Ask("bisa bayar qris?", {{"stream", true}});
  EXPECT_EQ(second.status, 429) << second.raw.body;
  EXPECT_EQ(second.raw.Header("Retry-After"), "1");
  // JSON answers are not streams: they still go through.
  llm_.SetScript(FakeLlm::Script{});
  EXPECT_EQ(Ask("ada parkir?", {{"stream", false}}).status, 200);
  // Another business has its own slots.
  EXPECT_EQ(Ask("harga laundry per kg?", {{"stream", true}}, biz_b_).status, 200);

  SseClient client(first.raw.stream);
  llm_.Release();
  llm_.Release();
  ASSERT_TRUE(client.WaitClosed());
  // The slot is given back once the turn is recorded (on the service's worker).
  Reply again;
  for (int i = 0; i < 200; ++i) {
    again = Ask("bisa bayar qris?", {{"stream", true}});
    if (again.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(again.status, 200) << again.raw.body;
  if (again.raw.stream) SseClient(again.raw.stream).WaitClosed();
}

TEST_F(ChatbotRoutesTest, FeedbackNeedsTheConversationsToken) {
  Reply a = Ask("jam brp buka kak?");
  Reply b = Ask("ada parkir?");
  ASSERT_EQ(a.status, 200);
  const std::string path =
      "/v1/public/messages/" + a.body["message_id"].get<std::string>() + "/feedback";
  EXPECT_EQ(
      Call("POST", path, "",
           json({{"conversation_token", b.body["conversation_token"]}, {"rating", "up"}}).dump())
          .status,
      401);
  Reply bad =
      Call("POST", path, "",
           json({{"conversation_token", a.body["conversation_token"]}, {"rating", "meh"}}).dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "rating");
  EXPECT_EQ(Call("POST", path, "",
                 json({{"conversation_token", a.body["conversation_token"]},
                       {"rating", "down"},
                       {"comment", "kurang lengkap"}})
                     .dump())
                .status,
            204);
  EXPECT_EQ(
      Call("POST", "/v1/public/messages/msg_nope/feedback", "",
           json({{"conversation_token", a.body["conversation_token"]}, {"rating", "up"}}).dump())
          .status,
      404);
  Reply listed =
      Call("GET", "/v1/conversations/" + a.body["conversation_id"].get<std::string>() + "/messages",
           "usr_owner_a");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["items"][1]["feedback"], "down");
}

TEST_F(ChatbotRoutesTest, BotSettingsArePartialUpdatesAndTheKeyIsWriteOnly) {
  const std::string bot = "/v1/businesses/" + biz_a_ + "/bot";
  Reply defaults = Call("GET", bot, "usr_viewer_a");
  ASSERT_EQ(defaults.status, 200) << defaults.raw.body;
  EXPECT_DOUBLE_EQ(defaults.body["thresholds"]["direct"].get<double>(), 0.85);
  EXPECT_EQ(defaults.body["llm"]["timeout_ms"], 8000);
  EXPECT_EQ(defaults.body["llm"]["api_key_set"], false);
  EXPECT_EQ(defaults.body["daily_budget"]["amount"], 100000);

  Reply put = Call("PUT", bot, "usr_owner_a",
                   R"({"persona": "Kamu Mbak Sari", "llm": {"base_url": "http://127.0.0.1:9/v1",
                       "model": "m", "api_key": "sk-secret-123"},
                       "handoff": {"after_low_confidence_turns": 2}})");
  ASSERT_EQ(put.status, 200) << put.raw.body;
  EXPECT_EQ(put.body["persona"], "Kamu Mbak Sari");
  EXPECT_EQ(put.body["llm"]["api_key_set"], true);
  EXPECT_EQ(put.raw.body.find("sk-secret-123"), std::string::npos);
  EXPECT_EQ(put.body["handoff"]["after_low_confidence_turns"], 2);
  EXPECT_EQ(put.body["handoff"]["enabled"], true) << "absent fields keep their value";
  EXPECT_DOUBLE_EQ(put.body["thresholds"]["grounded"].get<double>(), 0.60);

  Reply bad = Call("PUT", bot, "usr_owner_a", R"({"thresholds": {"deep": 0.95}})");
  EXPECT_EQ(bad.status, 400) << bad.raw.body;
  EXPECT_EQ(FieldOf(bad), "thresholds");
  Reply bad_type = Call("PUT", bot, "usr_owner_a", R"({"llm": {"timeout_ms": "soon"}})");
  EXPECT_EQ(bad_type.status, 400) << bad_type.raw.body;
  EXPECT_EQ(FieldOf(bad_type), "llm.timeout_ms");

  Reply removed = Call("PUT", bot, "usr_owner_a", R"({"llm": {"api_key": null}})");
  ASSERT_EQ(removed.status, 200) << removed.raw.body;
  EXPECT_EQ(removed.body["llm"]["api_key_set"], false);

  EXPECT_EQ(Call("PUT", bot, "usr_viewer_a", R"({"persona": "x"})").status, 403);
  EXPECT_EQ(Call("GET", bot, "usr_owner_b").status, 404);
  EXPECT_EQ(Call("PUT", bot, "usr_owner_b", R"({"persona": "x"})").status, 404);
  EXPECT_EQ(Call("GET", bot, "").status, 401);
}

TEST_F(ChatbotRoutesTest, OwnersTakeOverReplyReleaseAndClose) {
  Reply first = Ask("jam brp buka kak?", {{"visitor_id", "vis_9"}});
  ASSERT_EQ(first.status, 200);
  const json cont = {{"conversation_id", first.body["conversation_id"]},
                     {"conversation_token", first.body["conversation_token"]}};
  Reply human = Ask("mau bicara dengan admin", cont);
  ASSERT_EQ(human.status, 200) << human.raw.body;
  EXPECT_EQ(human.body["handoff"], true);
  EXPECT_FALSE(human.body["answer"].get<std::string>().empty()) << "the notice, once";
  Reply quiet = Ask("halo?", cont);
  EXPECT_EQ(quiet.body["handoff"], true);
  EXPECT_EQ(quiet.body["answer"], "");

  const std::string id = first.body["conversation_id"];
  const std::string conv = "/v1/conversations/" + id;
  Reply listed =
      Call("GET", "/v1/businesses/" + biz_a_ + "/conversations?status=handed_off", "usr_viewer_a");
  ASSERT_EQ(listed.status, 200) << listed.raw.body;
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.body["items"][0]["id"], id);
  EXPECT_EQ(listed.body["items"][0]["visitor_id"], "vis_9");
  EXPECT_TRUE(listed.body["next_cursor"].is_null());
  EXPECT_EQ(
      Call("GET", "/v1/businesses/" + biz_a_ + "/conversations?status=sleeping", "usr_owner_a")
          .status,
      400);
  EXPECT_EQ(Call("GET", "/v1/businesses/" + biz_a_ + "/conversations?from=yesterday", "usr_owner_a")
                .status,
            400);

  EXPECT_EQ(Call("POST", conv + "/messages", "usr_viewer_a", R"({"text": "hi"})").status, 403);
  Reply reply =
      Call("POST", conv + "/messages", "usr_owner_a", R"({"text": "Halo kak, buka jam 7"})");
  ASSERT_EQ(reply.status, 201) << reply.raw.body;
  EXPECT_EQ(reply.body["role"], "agent");
  EXPECT_EQ(reply.body["author_id"], "usr_owner_a");
  Reply released = Call("POST", conv + "/release", "usr_owner_a");
  ASSERT_EQ(released.status, 200) << released.raw.body;
  EXPECT_EQ(released.body["status"], "open");
  Reply back = Ask("jam brp buka kak?", cont);
  EXPECT_EQ(back.body["handoff"], false);
  EXPECT_NE(back.body["answer"].get<std::string>().find("07.00"), std::string::npos);

  EXPECT_EQ(Call("POST", conv + "/handoff", "usr_owner_a").body["status"], "handed_off");
  Reply closed = Call("POST", conv + "/close", "usr_owner_a");
  EXPECT_EQ(closed.body["status"], "closed");
  EXPECT_EQ(Call("POST", conv + "/release", "usr_owner_a").status, 409);
  EXPECT_EQ(Call("POST", conv + "/messages", "usr_owner_a", R"({"text": "x"})").status, 409);

  Reply got = Call("GET", conv, "usr_owner_a");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body["status"], "closed");
  Reply messages = Call("GET", conv + "/messages?limit=3", "usr_owner_a");
  ASSERT_EQ(messages.status, 200);
  EXPECT_EQ(messages.body["items"].size(), 3u);
  ASSERT_TRUE(messages.body["next_cursor"].is_string());
  Reply rest =
      Call("GET", conv + "/messages?cursor=" + messages.body["next_cursor"].get<std::string>(),
           "usr_owner_a");
  ASSERT_EQ(rest.status, 200);
  // customer, bot, customer, bot (notice), customer (silent), agent, customer, bot.
  EXPECT_EQ(rest.body["items"].size(), 5u);
}

TEST_F(ChatbotRoutesTest, AnotherOrganisationsConversationIsNotFoundOnEveryRoute) {
  Reply r = Ask("jam brp buka kak?");
  ASSERT_EQ(r.status, 200);
  const std::string conv = "/v1/conversations/" + r.body["conversation_id"].get<std::string>();
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", conv},
           {"GET", conv + "/messages"},
           {"POST", conv + "/messages"},
           {"POST", conv + "/handoff"},
           {"POST", conv + "/release"},
           {"POST", conv + "/close"},
           {"GET", "/v1/businesses/" + biz_a_ + "/conversations"},
           {"GET", "/v1/conversations/cnv_missing"}}) {
    Reply other = Call(method, path, "usr_owner_b", R"({"text": "hi"})");
    EXPECT_EQ(other.status, 404) << method << " " << path << ": " << other.raw.body;
  }
  // The owner's own view is unchanged by those attempts.
  Reply mine = Call("GET", conv, "usr_owner_a");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["status"], "open");
}

TEST_F(ChatbotRoutesTest, EveryRouteIsDocumented) {
  for (const auto& route : router_->routes()) {
    EXPECT_FALSE(route->operation_id.empty()) << route->path;
    EXPECT_FALSE(route->summary.empty()) << route->path;
    EXPECT_FALSE(route->responses.empty()) << route->path;
    if (route->path.rfind("/v1/public/", 0) == 0) {
      EXPECT_EQ(route->auth, http::AuthPolicy::kPublic) << route->path;
      EXPECT_EQ(route->rate_class, http::RateClass::kPublicChat) << route->path;
    } else if (route->path.rfind("/v1/openai/", 0) == 0) {
      EXPECT_EQ(route->auth, http::AuthPolicy::kApiKey) << route->path;
      EXPECT_FALSE(route->permission.empty()) << route->path;
    } else {
      EXPECT_FALSE(route->permission.empty()) << route->path;
    }
  }
  EXPECT_EQ(router_->routes().size(), 15u);  // 13 chat routes (one a WebSocket), 2 OpenAI ones
}

}  // namespace
}  // namespace milkyhoop::gateway
