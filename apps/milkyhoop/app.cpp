#include "app.hpp"

#include <unistd.h>

#include <filesystem>

#include "embedding_provider.hpp"
#include "identity_module.hpp"
#include "milkyhoop/assistant/assistant_factory.hpp"
#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/events/kafka_bus.hpp"
#include "milkyhoop/events/outbox_relay.hpp"
#include "milkyhoop/gateway/assistant_routes.hpp"
#include "milkyhoop/gateway/auth_middleware.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/chatbot_routes.hpp"
#include "milkyhoop/gateway/rag_routes.hpp"
#include "milkyhoop/gateway/rate_limit_middleware.hpp"
#include "milkyhoop/gateway/rate_limiter.hpp"
#include "milkyhoop/gateway/redis_rate_limiter.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/http/middlewares.hpp"
#include "milkyhoop/http/server.hpp"
#include "milkyhoop/llm/llm_client.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "ops_routes.hpp"
#include "service_databases.hpp"

#ifndef MILKYHOOP_VERSION
#define MILKYHOOP_VERSION "0.0.0-dev"
#endif

namespace milkyhoop {
namespace platform {
std::span<const sql::MigrationFile> Migrations();
}  // namespace platform

namespace app {
namespace {

std::string ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

// The installation's id, created on first start.
Result<std::string> EnsureInstance(sql::Database& db) {
  MH_TRY(db.Transaction([](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM instance"));
    if (!rows.empty()) return Status::Ok();
    return tx
        .Exec("INSERT INTO instance (id, created_at, first_version) VALUES ($1, $2, $3)",
              {NewId("inst_"), SystemClock().NowUnixMillis(), std::string(Version())})
        .status();
  }));
  MH_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id FROM instance"));
  return rows.Text(0, 0);
}

class AppImpl final : public App {
 public:
  explicit AppImpl(const AppConfig& config) : config_(config) {}
  ~AppImpl() override { Shutdown(); }

  Status Init() {
    RegisterProcessMetrics(metrics_);
    MH_ASSIGN_OR_RETURN(platform_db_, OpenAndMigrate(config_, "platform", platform::Migrations()));
    MH_ASSIGN_OR_RETURN(instance_id_, EnsureInstance(*platform_db_));

    if (config_.events.bus == "kafka") {
      events::KafkaBusOptions kafka;
      kafka.bootstrap_servers = config_.events.kafka_bootstrap_servers;
      kafka.topic_prefix = config_.events.kafka_topic_prefix;
      kafka.client_id = "milkyhoop-" + instance_id_;
      MH_ASSIGN_OR_RETURN(bus_, events::MakeKafkaBus(std::move(kafka), &metrics_));
    } else {
      bus_ = events::MakeInProcessBus();
    }
    MH_ASSIGN_OR_RETURN(identity_, IdentityModule::Create(config_, *bus_, clock_, metrics_));

    std::vector<health::HealthProbe> probes;
    probes.push_back({"storage", [db = platform_db_.get()] { return db->Ping(); }});
    for (auto& p : identity_->Probes()) probes.push_back(std::move(p));

    MH_ASSIGN_OR_RETURN(business_db_, OpenServiceDatabase(config_, "business"));
    if (Status s = business::MigrateBusinessDatabase(*business_db_); !s.ok()) {
      return Status(s.code(), "migrating business: " + s.message());
    }
    business_ = business::MakeBusinessService(*business_db_, identity_->security(), clock_);
    business_relay_ = std::make_unique<events::OutboxRelay>("business", *business_db_, *bus_,
                                                            events::RelayOptions{}, &metrics_);
    probes.push_back({"business", [db = business_db_.get()] { return db->Ping(); }});

    MH_ASSIGN_OR_RETURN(rag_db_, OpenServiceDatabase(config_, "rag"));
    if (Status s = rag::MigrateRagDatabase(*rag_db_); !s.ok()) {
      return Status(s.code(), "migrating rag: " + s.message());
    }
    rag::RagOptions rag_options;
    rag_options.embeddings = MakeEmbeddingProvider(config_.rag);
    rag_ = rag::MakeRagService(*rag_db_, clock_, std::move(rag_options), &metrics_);
    MH_TRY(rag_->SubscribeToBusinessEvents(*bus_));
    probes.push_back({"rag", [db = rag_db_.get()] { return db->Ping(); }});
    if (!config_.redis.url.empty()) {
      // Shared state of every process: rate-limit buckets (ratelimit.backend = redis) and the
      // chatbot's answer cache as a second level.
      MH_ASSIGN_OR_RETURN(redis::RedisOptions redis,
                          redis::ParseRedisUrl("redis.url", config_.redis.url));
      if (!config_.redis.password.empty()) redis.password = config_.redis.password;
      redis_ = redis::MakeRedisClient(std::move(redis));
    }
    MH_TRY(InitChatbot(probes));
    MH_TRY(InitAssistant(probes));
    health_ = health::MakeHealthRegistry(std::string(Version()), std::move(probes));

    std::string docs_dir =
        config_.http.docs_dir.empty() ? ExecutableDir() + "/swagger-ui" : config_.http.docs_dir;
    ops_ = std::make_unique<OpsRoutes>(*health_, metrics_, std::string(Version()), docs_dir);
    MH_TRY(ops_->Register(router_));
    MH_TRY(identity_->RegisterRoutes(router_));
    MH_TRY(gateway::RegisterBusinessRoutes(router_, identity_->orgs(), *business_));
    MH_TRY(gateway::RegisterRagRoutes(router_, identity_->orgs(), *business_, rag_->service()));
    if (config_.ratelimit.backend == "redis") {
      rate_limiter_ = gateway::MakeRedisRateLimiter(
          *redis_, {.fail_open = config_.ratelimit.redis_failure == "open"}, &metrics_);
    } else {
      rate_limiter_ = gateway::MakeMemoryRateLimiter(clock_);
    }
    gateway::ChatRouteOptions chat_routes;
    chat_routes.limiter = rate_limiter_.get();
    chat_routes.per_business = {config_.ratelimit.public_chat_per_business_per_minute,
                                std::chrono::minutes(1)};
    chat_routes.per_visitor = {config_.ratelimit.public_chat_per_minute, std::chrono::minutes(1)};
    MH_TRY(gateway::RegisterChatbotRoutes(router_, identity_->orgs(), *business_,
                                          chatbot_->service(), chat_routes));
    MH_TRY(gateway::RegisterAssistantRoutes(router_, identity_->orgs(), *business_, *assistant_));

    cors_ = std::make_unique<http::CorsMiddleware>(config_.http.cors_origins);
    security_ = std::make_unique<http::SecurityHeadersMiddleware>(config_.http.hsts);
    // Order matters: ids first (everything after logs with them), access log last so it sees
    // the final response after every other After().
    std::vector<http::Middleware*> chain = {&context_};
    if (config_.http.access_log) chain.push_back(&access_log_);
    chain.push_back(cors_.get());
    chain.push_back(security_.get());
    // Authentication before rate limiting, so limits apply per user or API key.
    auth_mw_ = std::make_unique<gateway::AuthMiddleware>(identity_->authenticator());
    chain.push_back(auth_mw_.get());
    gateway::RateLimitPolicy policy;
    policy.general = {config_.ratelimit.general_per_minute, std::chrono::minutes(1)};
    policy.auth = {config_.ratelimit.auth_per_minute, std::chrono::minutes(1)};
    policy.public_chat = {config_.ratelimit.public_chat_per_minute, std::chrono::minutes(1)};
    rate_mw_ = std::make_unique<gateway::RateLimitMiddleware>(*rate_limiter_, policy);
    chain.push_back(rate_mw_.get());
    identity_->Start();
    rag_->Start();
    business_relay_->Start();
    chatbot_relay_->Start();

    http::ServerOptions o;
    o.host = config_.listen_host;
    o.port = config_.listen_port;
    o.io_threads = static_cast<int>(config_.server.io_threads);
    o.blocking_threads = static_cast<int>(config_.server.blocking_threads);
    o.max_header_bytes = static_cast<std::size_t>(config_.http.max_header_bytes);
    o.max_body_bytes = static_cast<std::size_t>(config_.http.max_body_bytes);
    o.read_timeout = std::chrono::milliseconds(config_.http.read_timeout_ms);
    o.idle_timeout = std::chrono::milliseconds(config_.http.idle_timeout_ms);
    o.write_timeout = std::chrono::milliseconds(config_.http.write_timeout_ms);
    o.max_connections = static_cast<std::size_t>(config_.http.max_connections);
    o.drain_timeout = std::chrono::milliseconds(config_.server.shutdown_timeout_ms);
    MH_ASSIGN_OR_RETURN(server_, http::Server::Start(o, router_, chain, &metrics_));
    MH_LOG_INFO("listening", {"address", server_->host()}, {"port", server_->port()},
                {"version", Version()}, {"instance_id", instance_id_},
                {"routes", static_cast<std::int64_t>(router_.routes().size())});
    return Status::Ok();
  }

  // The customer chatbot: answers from the rag-service, streams from the LLM client.
  Status InitChatbot(std::vector<health::HealthProbe>& probes) {
    MH_ASSIGN_OR_RETURN(chatbot_db_, OpenServiceDatabase(config_, "chatbot"));
    if (Status s = chatbot::MigrateChatbotDatabase(*chatbot_db_); !s.ok()) {
      return Status(s.code(), "migrating chatbot: " + s.message());
    }
    llm::LlmClient::Options llm_options;
    llm_options.allow_private_addresses = config_.chatbot.llm_allow_private_networks;
    llm_ = llm::LlmClient::Create(std::move(llm_options));
    chatbot::ChatbotOptions options;
    options.token_key = identity_->DeriveKey("chatbot.conversation_token");
    options.llm = llm_.get();
    options.shared_answer_cache = redis_.get();
    MH_ASSIGN_OR_RETURN(
        chatbot_, chatbot::MakeChatbotService(*chatbot_db_, rag_->service(), *business_,
                                              identity_->security(), clock_, std::move(options)));
    chatbot_relay_ = std::make_unique<events::OutboxRelay>("chatbot", *chatbot_db_, *bus_,
                                                           events::RelayOptions{}, &metrics_);
    probes.push_back({"chatbot", [db = chatbot_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  // The owner assistant: chat bookkeeping and setup by chat, through the business, org and rag
  // services.
  Status InitAssistant(std::vector<health::HealthProbe>& probes) {
    MH_ASSIGN_OR_RETURN(assistant_db_, OpenServiceDatabase(config_, "assistant"));
    if (Status s = assistant::MigrateAssistantDatabase(*assistant_db_); !s.ok()) {
      return Status(s.code(), "migrating assistant: " + s.message());
    }
    assistant::AssistantOptions options;
    if (!config_.assistant.llm_url.empty()) {
      // The operator's own server (often a local Ollama or llama.cpp), not a tenant's URL: private
      // addresses are allowed.
      assistant_llm_ = llm::LlmClient::Create({});
      assistant::AssistantLlmOptions llm;
      llm.endpoint = {.base_url = config_.assistant.llm_url,
                      .api_key = config_.assistant.llm_api_key,
                      .model = config_.assistant.llm_model};
      llm.response_format = config_.assistant.llm_response_format;
      llm.timeout = std::chrono::milliseconds(config_.assistant.llm_timeout_ms);
      intent_fallback_ = assistant::MakeLlmIntentParser(*assistant_llm_, llm, &metrics_);
      faq_writer_ = assistant::MakeLlmFaqWriter(*assistant_llm_, llm, &metrics_);
      options.intent_fallback = intent_fallback_.get();
      options.faq_writer = faq_writer_.get();
    }
    assistant_ = assistant::MakeAssistantService(
        *assistant_db_, assistant::AssistantDeps{*business_, identity_->orgs(), rag_->service()},
        clock_, options);
    probes.push_back({"assistant", [db = assistant_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  std::uint16_t port() const override { return server_ ? server_->port() : 0; }

  void Shutdown() override {
    if (stopped_) return;
    stopped_ = true;
    if (ops_) ops_->SetDraining();
    if (server_) {
      MH_LOG_INFO("shutting down: draining requests",
                  {"connections", static_cast<std::int64_t>(server_->active_connections())});
      server_->Shutdown();
    }
    // Reverse order of start: the server is gone, so nothing uses what follows.
    server_.reset();
    // No event handler may run into a service that is going away (the Kafka bus's consumers
    // run on their own threads); what they have not consumed waits in Kafka.
    if (bus_) bus_->StopConsuming();
    if (identity_) identity_->Stop();  // flushes committed events to their consumers
    assistant_.reset();
    intent_fallback_.reset();
    faq_writer_.reset();
    assistant_llm_.reset();
    assistant_db_.reset();
    if (chatbot_) chatbot_->Stop();  // cancels LLM streams, records their answers
    if (chatbot_relay_) chatbot_relay_->Stop();
    chatbot_relay_.reset();
    chatbot_.reset();
    llm_.reset();
    chatbot_db_.reset();
    if (business_relay_) business_relay_->Stop();
    business_relay_.reset();
    if (rag_) rag_->Stop();
    rag_.reset();
    rag_db_.reset();
    business_.reset();
    business_db_.reset();
    ops_.reset();
    health_.reset();
    identity_.reset();
    bus_.reset();
    platform_db_.reset();
    MH_LOG_INFO("stopped");
  }

 private:
  AppConfig config_;
  SystemClock clock_;
  metrics::Registry metrics_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<redis::RedisClient> redis_;  // outlives everything that uses it
  std::unique_ptr<IdentityModule> identity_;
  std::unique_ptr<sql::Database> business_db_;
  std::unique_ptr<business::BusinessService> business_;
  std::unique_ptr<events::OutboxRelay> business_relay_;
  std::unique_ptr<sql::Database> rag_db_;
  std::unique_ptr<rag::RagServiceHost> rag_;
  std::unique_ptr<sql::Database> chatbot_db_;
  std::unique_ptr<llm::LlmClient> llm_;
  std::unique_ptr<chatbot::ChatbotServiceHost> chatbot_;
  std::unique_ptr<events::OutboxRelay> chatbot_relay_;
  std::unique_ptr<sql::Database> assistant_db_;
  std::unique_ptr<llm::LlmClient> assistant_llm_;
  std::unique_ptr<assistant::IntentFallback> intent_fallback_;
  std::unique_ptr<assistant::FaqWriter> faq_writer_;
  std::unique_ptr<assistant::AssistantService> assistant_;
  std::unique_ptr<gateway::RateLimiter> rate_limiter_;
  std::unique_ptr<gateway::AuthMiddleware> auth_mw_;
  std::unique_ptr<gateway::RateLimitMiddleware> rate_mw_;
  std::unique_ptr<sql::Database> platform_db_;
  std::string instance_id_;
  std::unique_ptr<health::HealthService> health_;
  std::unique_ptr<OpsRoutes> ops_;
  http::Router router_;
  http::RequestContextMiddleware context_;
  http::AccessLogMiddleware access_log_;
  std::unique_ptr<http::CorsMiddleware> cors_;
  std::unique_ptr<http::SecurityHeadersMiddleware> security_;
  std::unique_ptr<http::Server> server_;
  bool stopped_ = false;
};

}  // namespace

std::string_view Version() { return MILKYHOOP_VERSION; }

Result<std::unique_ptr<App>> App::Start(const AppConfig& config) {
  auto app = std::make_unique<AppImpl>(config);
  MH_TRY(app->Init());
  return std::unique_ptr<App>(std::move(app));
}

Status MigrateAll(const AppConfig& config) {
  MH_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(config, "platform", platform::Migrations()));
  MH_TRY(MigrateIdentity(config));
  MH_ASSIGN_OR_RETURN(auto business_db, OpenServiceDatabase(config, "business"));
  MH_TRY(business::MigrateBusinessDatabase(*business_db));
  MH_ASSIGN_OR_RETURN(auto rag_db, OpenServiceDatabase(config, "rag"));
  MH_TRY(rag::MigrateRagDatabase(*rag_db));
  MH_ASSIGN_OR_RETURN(auto chatbot_db, OpenServiceDatabase(config, "chatbot"));
  MH_TRY(chatbot::MigrateChatbotDatabase(*chatbot_db));
  MH_ASSIGN_OR_RETURN(auto assistant_db, OpenServiceDatabase(config, "assistant"));
  return assistant::MigrateAssistantDatabase(*assistant_db);
}

}  // namespace app
}  // namespace milkyhoop
