#include "chatbot_service_impl.hpp"

#include <future>
#include <span>

#include "bot_settings.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::chatbot {

// Generated from migrations/ by mh_embed_migrations (cmake).
std::span<const sql::MigrationFile> Migrations();

// Out of line so the vtable is emitted once, in mh_chatbot.
ChatbotService::~ChatbotService() = default;

namespace {

class NoopTurn final : public ChatTurn {
 public:
  void Cancel() override {}
};

class ServiceHost final : public ChatbotServiceHost {
 public:
  explicit ServiceHost(std::unique_ptr<ChatbotServiceImpl> impl) : impl_(std::move(impl)) {}
  ~ServiceHost() override { Stop(); }
  ChatbotService& service() override { return *impl_; }
  void Stop() override { impl_->Stop(); }

 private:
  std::unique_ptr<ChatbotServiceImpl> impl_;
};

}  // namespace

// The remote form: the whole answer through Chat(), replayed as deltas.
Result<std::shared_ptr<ChatTurn>> ChatbotService::StreamChat(const v1::ChatRequest& request,
                                                             ChatCallbacks callbacks) {
  MH_ASSIGN_OR_RETURN(v1::ChatResponse answer, Chat(request));
  if (callbacks.on_meta) callbacks.on_meta(answer);
  if (callbacks.on_delta) {
    for (const std::string& d : SplitIntoDeltas(answer.answer())) callbacks.on_delta(d);
  }
  if (callbacks.on_done) callbacks.on_done(answer);
  return std::shared_ptr<ChatTurn>(std::make_shared<NoopTurn>());
}

Status MigrateChatbotDatabase(sql::Database& db) {
  return sql::Migrate(db, "chatbot", Migrations());
}

Result<std::unique_ptr<ChatbotServiceHost>> MakeChatbotService(
    sql::Database& db, rag::RagService& rag, business::BusinessService& businesses,
    security::SecurityService& security, const Clock& clock, ChatbotOptions options) {
  MH_ASSIGN_OR_RETURN(ConversationTokens tokens, ConversationTokens::Create(options.token_key));
  auto impl = std::make_unique<ChatbotServiceImpl>(db, rag, businesses, security, clock,
                                                   std::move(options), std::move(tokens));
  return std::unique_ptr<ChatbotServiceHost>(std::make_unique<ServiceHost>(std::move(impl)));
}

ChatbotServiceImpl::ChatbotServiceImpl(sql::Database& db, rag::RagService& rag,
                                       business::BusinessService& businesses,
                                       security::SecurityService& security, const Clock& clock,
                                       ChatbotOptions options, ConversationTokens tokens)
    : db_(db),
      rag_(rag),
      businesses_(businesses),
      security_(security),
      clock_(clock),
      options_(std::move(options)),
      tokens_(std::move(tokens)),
      cache_(options_.answer_cache_entries, options_.shared_answer_cache,
             options_.answer_cache_ttl),
      prices_(options_.prices, options_.default_price),
      own_turns_(options_.conversation_turns ? nullptr : MakeMemoryConversationTurns()),
      turns_(options_.conversation_turns ? *options_.conversation_turns : *own_turns_) {
  // The key is in tokens_ now; no second copy stays around.
  options_.token_key.clear();
  if (!options_.executor) own_queue_ = std::make_unique<WorkQueue>();
}

ChatbotServiceImpl::~ChatbotServiceImpl() { Stop(); }

void ChatbotServiceImpl::Post(std::function<void()> task) {
  if (options_.executor) {
    options_.executor(std::move(task));
  } else {
    own_queue_->Post(std::move(task));
  }
}

void ChatbotServiceImpl::Stop() {
  std::vector<std::shared_ptr<llm::ChatStream>> live;
  {
    std::lock_guard lock(mu_);
    if (stopped_ && in_flight_ == 0) return;
    stopped_ = true;
    for (auto& [id, stream] : streams_) {
      if (stream) live.push_back(stream);
    }
  }
  for (auto& s : live) s->Cancel();
  std::unique_lock lock(mu_);
  if (!idle_.wait_for(lock, std::chrono::seconds(15), [this] { return in_flight_ == 0; })) {
    MH_LOG_WARN("chatbot: LLM answers still unrecorded at shutdown",
                {"in_flight", static_cast<std::int64_t>(in_flight_)});
  }
}

Result<v1::BotSettings> ChatbotServiceImpl::LoadBot(sql::Session& s, const std::string& org_id,
                                                    const std::string& business_id,
                                                    std::string* sealed_key) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query("SELECT org_id, settings, llm_api_key_sealed, updated_at_ms "
                              "FROM bots WHERE business_id = $1",
                              {business_id}));
  if (rows.empty() || rows.Text(0, 0) != org_id) {
    if (sealed_key) sealed_key->clear();
    return DefaultBotSettings(business_id);
  }
  MH_ASSIGN_OR_RETURN(v1::BotSettings bot, BotSettingsFromJson(rows.Text(0, 1)));
  bot.set_business_id(business_id);
  bot.mutable_llm()->set_api_key_set(!rows.Text(0, 2).empty());
  bot.set_updated_at_ms(rows.Int(0, 3));
  if (sealed_key) *sealed_key = rows.Text(0, 2);
  return bot;
}

namespace {
// The business must be the organisation's: the service checks tenancy itself.
Status CheckBusiness(business::BusinessService& businesses, const std::string& org_id,
                     const std::string& business_id) {
  if (org_id.empty()) return InvalidField("org_id", "is required");
  if (business_id.empty()) return InvalidField("business_id", "is required");
  business::v1::GetBusinessRequest req;
  req.set_org_id(org_id);
  req.set_business_id(business_id);
  return businesses.GetBusiness(req).status();
}
}  // namespace

Result<v1::GetBotResponse> ChatbotServiceImpl::GetBot(const v1::GetBotRequest& request) {
  MH_TRY(CheckBusiness(businesses_, request.org_id(), request.business_id()));
  v1::GetBotResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_bot(),
                        LoadBot(s, request.org_id(), request.business_id(), nullptr));
    return Status::Ok();
  }));
  return out;
}

Result<v1::UpdateBotResponse> ChatbotServiceImpl::UpdateBot(const v1::UpdateBotRequest& request) {
  MH_TRY(CheckBusiness(businesses_, request.org_id(), request.business_id()));
  v1::BotSettings bot = request.bot();
  bot.set_business_id(request.business_id());
  bot.mutable_llm()->set_api_key_set(false);
  bot.set_updated_at_ms(0);
  MH_TRY(ValidateBotSettings(bot));
  std::optional<std::string> new_sealed;
  if (request.has_llm_api_key()) {
    if (request.llm_api_key().size() > 1024) {
      return InvalidField("llm.api_key", "at most 1024 bytes");
    }
    new_sealed = "";
    if (!request.llm_api_key().empty()) {
      security::v1::EncryptRequest enc;
      enc.set_plaintext(request.llm_api_key());
      enc.set_context(ApiKeyContext(request.business_id()));
      MH_ASSIGN_OR_RETURN(security::v1::EncryptResponse sealed, security_.Encrypt(enc));
      new_sealed = sealed.sealed();
    }
  }
  const std::int64_t now = clock_.NowUnixMillis();
  const std::string json = BotSettingsToJson(bot);
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    std::string sealed;
    MH_ASSIGN_OR_RETURN(sql::Rows rows, tx.Query("SELECT llm_api_key_sealed FROM bots "
                                                 "WHERE business_id = $1",
                                                 {request.business_id()}));
    if (!rows.empty()) sealed = rows.Text(0, 0);
    if (new_sealed) sealed = *new_sealed;
    MH_TRY(tx.Exec("DELETE FROM bots WHERE business_id = $1", {request.business_id()}).status());
    return tx
        .Exec(
            "INSERT INTO bots (business_id, org_id, settings, llm_api_key_sealed, updated_by, "
            "updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
            {request.business_id(), request.org_id(), json, sealed, request.actor_id(), now})
        .status();
  }));
  v1::UpdateBotResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_bot(),
                        LoadBot(s, request.org_id(), request.business_id(), nullptr));
    return Status::Ok();
  }));
  return out;
}

Result<std::shared_ptr<ChatTurn>> ChatbotServiceImpl::StreamChat(const v1::ChatRequest& request,
                                                                 ChatCallbacks callbacks) {
  std::optional<llm::ChatRequest> llm_request;
  MH_ASSIGN_OR_RETURN(std::shared_ptr<TurnState> st,
                      BeginTurn(request, std::move(callbacks), &llm_request));
  if (!llm_request) {
    DeliverImmediate(st);
    return std::shared_ptr<ChatTurn>(std::make_shared<NoopTurn>());
  }
  return StartStream(st, std::move(*llm_request), /*finish_on_caller=*/nullptr);
}

Result<v1::ChatResponse> ChatbotServiceImpl::Chat(const v1::ChatRequest& request) {
  v1::ChatResponse answer;
  ChatCallbacks callbacks;
  callbacks.on_done = [&answer](const v1::ChatResponse& done) { answer = done; };
  std::optional<llm::ChatRequest> llm_request;
  MH_ASSIGN_OR_RETURN(std::shared_ptr<TurnState> st,
                      BeginTurn(request, std::move(callbacks), &llm_request));
  if (!llm_request) {
    DeliverImmediate(st);
    return answer;
  }
  // The caller's thread waits for the LLM and records the answer itself: posting that work to
  // the shared executor could deadlock when every executor thread is a caller waiting here.
  auto result = std::make_shared<std::promise<llm::ChatResult>>();
  std::future<llm::ChatResult> finished = result->get_future();
  std::uint64_t stream_id = 0;
  (void)StartStream(st, std::move(*llm_request), result, &stream_id);
  FinishLlm(st, finished.get());
  EndStream(stream_id);
  return answer;
}

}  // namespace milkyhoop::chatbot
