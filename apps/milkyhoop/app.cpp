#include "app.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>
#include "embedding_provider.hpp"
#include "identity_module.hpp"

#include "grpc_endpoint.hpp"
#include "milkyhoop/assistant/assistant_factory.hpp"
#include "milkyhoop/assistant/assistant_grpc.hpp"
#include "milkyhoop/assistant/assistant_llm.hpp"
#include "milkyhoop/audit/audit_grpc.hpp"
#include "milkyhoop/auth/auth_grpc.hpp"
#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/business/business_grpc.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/chatbot/chatbot_grpc.hpp"
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
#include "milkyhoop/gateway/shared_stream_slots.hpp"
#include "milkyhoop/gateway/socket_relay.hpp"
#include "milkyhoop/health/health_grpc.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/http/forwarded_for.hpp"
#include "milkyhoop/http/middlewares.hpp"
#include "milkyhoop/http/server.hpp"
#include "milkyhoop/llm/llm_client.hpp"
#include "milkyhoop/org/org_grpc.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/rag/rag_grpc.hpp"
#include "milkyhoop/security/security_grpc.hpp"
#include "ops_routes.hpp"
#include "remote_services.hpp"
#include "service_databases.hpp"
#include "service_plan.hpp"

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

// What an owner turn adds to its LLM call's own time limit (reading the message, the database).
constexpr std::chrono::seconds kLlmCallMargin{5};
// What a customer turn adds to its searches and LLM call: reading and writing its records.
constexpr std::chrono::seconds kTurnRecordMargin{15};

class AppImpl final : public App {
 public:
  explicit AppImpl(const AppConfig& config) : config_(config), remotes_(config_) {}
  ~AppImpl() override { Shutdown(); }

  // Builds what server.services asks for: each hosted service with its database, a gRPC client
  // for each service they call that runs elsewhere, the gateway's routes when it is hosted, and
  // the gRPC server through which the other processes reach the hosted ones.
  Status Init() {
    RegisterProcessMetrics(metrics_);
    MH_ASSIGN_OR_RETURN(plan_, ServicePlan::From(config_.server.services));
    MH_ASSIGN_OR_RETURN(platform_db_, OpenAndMigrate(config_, "platform", platform::Migrations()));
    MH_ASSIGN_OR_RETURN(instance_id_, EnsureInstance(*platform_db_));
    MH_TRY(InitBus());
    if (!config_.redis.url.empty()) {
      // Shared state of every process: rate-limit buckets (ratelimit.backend = redis), the
      // chatbot's answer cache as a second level, and the outboxes' relay locks.
      MH_ASSIGN_OR_RETURN(redis_options_, redis::ParseRedisUrl("redis.url", config_.redis.url));
      if (!config_.redis.password.empty()) redis_options_.password = config_.redis.password;
      redis_ = redis::MakeRedisClient(redis_options_);
    }
    relay_options_ = MakeRelayOptions(redis_.get(), config_.database.schema_prefix);
    MH_ASSIGN_OR_RETURN(identity_, IdentityModule::Create(config_, plan_, remotes_, *bus_,
                                                          relay_options_, clock_, metrics_));

    std::vector<health::HealthProbe> probes;
    probes.push_back({"storage", [db = platform_db_.get()] { return db->Ping(); }});
    for (auto& p : identity_->Probes()) probes.push_back(std::move(p));
    MH_TRY(InitBusiness(probes));
    MH_TRY(InitRag(probes));
    MH_TRY(InitChatbot(probes));
    MH_TRY(InitAssistant(probes));
    for (std::string_view service : kServiceNames) {
      if (!plan_.remote(service)) continue;
      MH_ASSIGN_OR_RETURN(auto probe, remotes_.Probe(service));
      probes.push_back(std::move(probe));
    }
    health_ = health::MakeHealthRegistry(std::string(Version()), std::move(probes));

    std::string docs_dir =
        config_.http.docs_dir.empty() ? ExecutableDir() + "/swagger-ui" : config_.http.docs_dir;
    ops_ = std::make_unique<OpsRoutes>(*health_, metrics_, std::string(Version()), docs_dir);
    MH_TRY(ops_->Register(router_));
    cors_ = std::make_unique<http::CorsMiddleware>(config_.http.cors_origins);
    security_ = std::make_unique<http::SecurityHeadersMiddleware>(config_.http.hsts);
    // Order matters: ids first (everything after logs with them), access log last so it sees
    // the final response after every other After().
    MH_ASSIGN_OR_RETURN(
        auto proxies, http::ParseIpNetworks(config_.http.trusted_proxies, "http.trusted_proxies"));
    forwarded_for_ = std::make_unique<http::ForwardedForMiddleware>(std::move(proxies));
    // The client's address first: everything after (logs, limits, audit) sees it.
    chain_ = {forwarded_for_.get(), &context_};
    if (config_.http.access_log) chain_.push_back(&access_log_);
    chain_.push_back(cors_.get());
    chain_.push_back(security_.get());
    if (plan_.hosts("gateway")) MH_TRY(InitGateway());

    identity_->Start();
    if (rag_host_) rag_host_->Start();
    if (business_relay_) business_relay_->Start();
    if (chatbot_relay_) chatbot_relay_->Start();
    MH_TRY(ServeGrpc());

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
    MH_ASSIGN_OR_RETURN(server_, http::Server::Start(o, router_, chain_, &metrics_));
    std::string services;
    for (const auto& s : config_.server.services) services += (services.empty() ? "" : ",") + s;
    MH_LOG_INFO("listening", {"address", server_->host()}, {"port", server_->port()},
                {"grpc_port", static_cast<std::int64_t>(grpc_ ? grpc_->port() : 0)},
                {"services", services}, {"version", Version()}, {"instance_id", instance_id_},
                {"routes", static_cast<std::int64_t>(router_.routes().size())});
    return Status::Ok();
  }

  Status InitBus() {
    // A process that hosts no service (a gateway replica) neither publishes nor consumes.
    if (config_.events.bus == "kafka" && !plan_.hosted_services().empty()) {
      events::KafkaBusOptions kafka;
      kafka.bootstrap_servers = config_.events.kafka_bootstrap_servers;
      kafka.topic_prefix = config_.events.kafka_topic_prefix;
      kafka.client_id = "milkyhoop-" + instance_id_;
      MH_ASSIGN_OR_RETURN(bus_, events::MakeKafkaBus(std::move(kafka), &metrics_));
    } else {
      bus_ = events::MakeInProcessBus();
    }
    return Status::Ok();
  }

  Status InitBusiness(std::vector<health::HealthProbe>& probes) {
    if (plan_.remote("business")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("business"));
      business_ = business::MakeBusinessGrpcClient(channel, remotes_.call_deadline());
    }
    if (!plan_.hosts("business")) return Status::Ok();
    MH_ASSIGN_OR_RETURN(business_db_,
                        OpenMigrated(config_, "business", &business::MigrateBusinessDatabase));
    business_ = business::MakeBusinessService(*business_db_, *identity_->security(), clock_);
    business_relay_ = std::make_unique<events::OutboxRelay>("business", *business_db_, *bus_,
                                                            relay_options_("business"), &metrics_);
    probes.push_back({"business", [db = business_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  Status InitRag(std::vector<health::HealthProbe>& probes) {
    if (plan_.remote("rag")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("rag"));
      rag_client_ = rag::MakeRagGrpcClient(channel, remotes_.call_deadline());
    }
    if (!plan_.hosts("rag")) return Status::Ok();
    MH_ASSIGN_OR_RETURN(rag_db_, OpenMigrated(config_, "rag", &rag::MigrateRagDatabase));
    rag::RagOptions rag_options;
    rag_options.embeddings = MakeEmbeddingProvider(config_.rag);
    rag_options.snapshot_dir =
        config_.rag.snapshot_dir.empty()
            ? (std::filesystem::path(config_.server.data_dir) / "rag-snapshots").string()
            : config_.rag.snapshot_dir;
    rag_options.snapshot_interval_s = static_cast<int>(config_.rag.snapshot_interval_s);
    rag_options.sync_interval_ms = static_cast<int>(config_.rag.sync_interval_ms);
    rag_options.change_retention_s = static_cast<int>(config_.rag.change_retention_s);
    rag_options.document_lease_ms = static_cast<int>(config_.rag.document_lease_ms);
    rag_options.embedding_backfill_interval_s =
        static_cast<int>(config_.rag.embedding_backfill_interval_s);
    rag_options.embedding_failure_threshold =
        static_cast<int>(config_.rag.embedding_failure_threshold);
    rag_options.embedding_cooldown_ms = static_cast<int>(config_.rag.embedding_cooldown_ms);
    rag_host_ = rag::MakeRagService(*rag_db_, clock_, std::move(rag_options), &metrics_);
    MH_TRY(rag_host_->SubscribeToBusinessEvents(*bus_));
    probes.push_back({"rag", [db = rag_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  rag::RagService* rag() { return rag_host_ ? &rag_host_->service() : rag_client_.get(); }
  chatbot::ChatbotService* chatbot() {
    return chatbot_host_ ? &chatbot_host_->service() : chatbot_client_.get();
  }

  // The customer chatbot: answers from the rag-service, streams from the LLM client.
  Status InitChatbot(std::vector<health::HealthProbe>& probes) {
    if (plan_.remote("chatbot")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("chatbot"));
      chatbot_client_ = chatbot::MakeChatbotGrpcClient(channel, remotes_.chat_deadline());
    }
    if (!plan_.hosts("chatbot")) return Status::Ok();
    MH_ASSIGN_OR_RETURN(chatbot_db_,
                        OpenMigrated(config_, "chatbot", &chatbot::MigrateChatbotDatabase));
    llm::LlmClient::Options llm_options;
    llm_options.allow_private_addresses = config_.chatbot.llm_allow_private_networks;
    llm_ = llm::LlmClient::Create(std::move(llm_options));
    chatbot::ChatbotOptions options;
    options.token_key = identity_->DeriveKey("chatbot.conversation_token");
    options.llm = llm_.get();
    options.shared_answer_cache = redis_.get();
    if (redis_) {
      // A conversation's turn in progress is seen by every process serving it. Its lease must
      // outlast the longest turn: the knowledge search (an embedding call at worst), the longest
      // LLM call a bot may set, and the records after it. A process that dies mid-turn frees the
      // conversation after that long.
      const auto ttl = std::chrono::milliseconds(config_.rag.embedding_timeout_ms) +
                       chatbot::kMaxBotLlmTimeout + kTurnRecordMargin;
      conversation_turns_ = chatbot::MakeRedisConversationTurns(*redis_, ttl, &metrics_);
      options.conversation_turns = conversation_turns_.get();
    }
    MH_ASSIGN_OR_RETURN(chatbot_host_, chatbot::MakeChatbotService(*chatbot_db_, *rag(), *business_,
                                                                   *identity_->security(), clock_,
                                                                   std::move(options)));
    chatbot_relay_ = std::make_unique<events::OutboxRelay>("chatbot", *chatbot_db_, *bus_,
                                                           relay_options_("chatbot"), &metrics_);
    probes.push_back({"chatbot", [db = chatbot_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  // The owner assistant: chat bookkeeping and setup by chat, through the business, org and rag
  // services.
  Status InitAssistant(std::vector<health::HealthProbe>& probes) {
    if (plan_.remote("assistant")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("assistant"));
      // An owner turn may wait on the assistant's LLM (assistant.llm_timeout_ms), like a chat.
      const auto deadline =
          std::max(remotes_.chat_deadline(),
                   std::chrono::milliseconds(config_.assistant.llm_timeout_ms) + kLlmCallMargin);
      assistant_ = assistant::MakeAssistantGrpcClient(channel, deadline);
    }
    if (!plan_.hosts("assistant")) return Status::Ok();
    MH_ASSIGN_OR_RETURN(assistant_db_,
                        OpenMigrated(config_, "assistant", &assistant::MigrateAssistantDatabase));
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
        *assistant_db_, assistant::AssistantDeps{*business_, *identity_->orgs(), *rag()}, clock_,
        options);
    probes.push_back({"assistant", [db = assistant_db_.get()] { return db->Ping(); }});
    return Status::Ok();
  }

  // The public API: every route of API.md, authentication and rate limits.
  Status InitGateway() {
    org::OrgService& orgs = *identity_->orgs();
    MH_TRY(identity_->RegisterRoutes(router_));
    MH_TRY(gateway::RegisterBusinessRoutes(router_, orgs, *business_));
    MH_TRY(gateway::RegisterRagRoutes(router_, orgs, *business_, *rag()));
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
    if (redis_) {
      // Several gateway replicas share Redis: an owner's reply reaches the customer's socket on
      // whichever of them holds it.
      socket_relay_ = gateway::MakeRedisSocketRelay(*redis_, redis_options_,
                                                    "milkyhoop.chat.agent-replies", &metrics_);
      chat_routes.relay = socket_relay_.get();
      // A lease outlives any stream: an LLM answer ends within its timeout.
      shared_slots_ = gateway::MakeRedisStreamSlots(*redis_, std::chrono::minutes(10), &metrics_);
      chat_routes.shared_slots = shared_slots_.get();
    }
    MH_TRY(gateway::RegisterChatbotRoutes(router_, orgs, *business_, *chatbot(), chat_routes));
    MH_TRY(gateway::RegisterAssistantRoutes(router_, orgs, *business_, *assistant_));

    // Authentication before rate limiting, so limits apply per user or API key.
    auth_mw_ = std::make_unique<gateway::AuthMiddleware>(identity_->authenticator());
    chain_.push_back(auth_mw_.get());
    gateway::RateLimitPolicy policy;
    policy.general = {config_.ratelimit.general_per_minute, std::chrono::minutes(1)};
    policy.auth = {config_.ratelimit.auth_per_minute, std::chrono::minutes(1)};
    policy.public_chat = {config_.ratelimit.public_chat_per_minute, std::chrono::minutes(1)};
    rate_mw_ = std::make_unique<gateway::RateLimitMiddleware>(*rate_limiter_, policy);
    chain_.push_back(rate_mw_.get());
    return Status::Ok();
  }

  // In the split shape: the hosted services, served to the other processes.
  Status ServeGrpc() {
    if (!plan_.serves_grpc()) return Status::Ok();
    grpc_ = std::make_unique<GrpcEndpoint>(static_cast<int>(config_.server.blocking_threads));
    rpc::Executor executor = grpc_->executor();
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(health::MakeHealthGrpcService(*health_, executor));
    if (plan_.hosts("security")) {
      services.push_back(security::MakeSecurityGrpcService(*identity_->security(), executor));
    }
    if (plan_.hosts("auth")) {
      services.push_back(auth::MakeAuthGrpcService(*identity_->auth(), executor));
    }
    if (plan_.hosts("org")) {
      services.push_back(org::MakeOrgGrpcService(*identity_->orgs(), executor));
    }
    if (plan_.hosts("audit")) {
      services.push_back(audit::MakeAuditGrpcService(*identity_->audit(), executor));
    }
    if (plan_.hosts("business")) {
      services.push_back(business::MakeBusinessGrpcService(*business_, executor));
    }
    if (plan_.hosts("rag")) services.push_back(rag::MakeRagGrpcService(*rag(), executor));
    if (plan_.hosts("chatbot")) {
      services.push_back(chatbot::MakeChatbotGrpcService(*chatbot(), executor));
    }
    if (plan_.hosts("assistant")) {
      services.push_back(assistant::MakeAssistantGrpcService(*assistant_, executor));
    }
    return grpc_->Serve(config_, std::move(services));
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
    // Reverse order of start: the servers are gone, so nothing uses what follows.
    server_.reset();
    socket_relay_.reset();  // no reply is delivered to sockets any more
    if (grpc_) grpc_->Shutdown(std::chrono::milliseconds(config_.server.shutdown_timeout_ms));
    grpc_.reset();
    // No event handler may run into a service that is going away (the Kafka bus's consumers
    // run on their own threads); what they have not consumed waits in Kafka.
    if (bus_) bus_->StopConsuming();
    if (identity_) identity_->Stop();  // flushes committed events to their consumers
    assistant_.reset();
    intent_fallback_.reset();
    faq_writer_.reset();
    assistant_llm_.reset();
    assistant_db_.reset();
    if (chatbot_host_) chatbot_host_->Stop();  // cancels LLM streams, records their answers
    if (chatbot_relay_) chatbot_relay_->Stop();
    chatbot_relay_.reset();
    chatbot_host_.reset();
    chatbot_client_.reset();
    llm_.reset();
    chatbot_db_.reset();
    if (business_relay_) business_relay_->Stop();
    business_relay_.reset();
    if (rag_host_) rag_host_->Stop();
    rag_host_.reset();
    rag_client_.reset();
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
  ServicePlan plan_;
  RemoteServices remotes_;  // channels outlive every client made from them
  SystemClock clock_;
  metrics::Registry metrics_;
  std::unique_ptr<events::EventBus> bus_;
  redis::RedisOptions redis_options_;
  std::unique_ptr<redis::RedisClient> redis_;  // outlives everything that uses it
  RelayOptionsFor relay_options_;
  std::unique_ptr<gateway::SocketRelay> socket_relay_;
  std::unique_ptr<gateway::SharedStreamSlots> shared_slots_;
  std::unique_ptr<IdentityModule> identity_;
  std::unique_ptr<sql::Database> business_db_;
  std::unique_ptr<business::BusinessService> business_;  // implementation or gRPC client
  std::unique_ptr<events::OutboxRelay> business_relay_;
  std::unique_ptr<sql::Database> rag_db_;
  std::unique_ptr<rag::RagServiceHost> rag_host_;
  std::unique_ptr<rag::RagService> rag_client_;
  std::unique_ptr<sql::Database> chatbot_db_;
  std::unique_ptr<llm::LlmClient> llm_;
  std::unique_ptr<chatbot::ConversationTurns> conversation_turns_;  // outlives chatbot_host_
  std::unique_ptr<chatbot::ChatbotServiceHost> chatbot_host_;
  std::unique_ptr<chatbot::ChatbotService> chatbot_client_;
  std::unique_ptr<events::OutboxRelay> chatbot_relay_;
  std::unique_ptr<sql::Database> assistant_db_;
  std::unique_ptr<llm::LlmClient> assistant_llm_;
  std::unique_ptr<assistant::IntentFallback> intent_fallback_;
  std::unique_ptr<assistant::FaqWriter> faq_writer_;
  std::unique_ptr<assistant::AssistantService> assistant_;  // implementation or gRPC client
  std::unique_ptr<gateway::RateLimiter> rate_limiter_;
  std::unique_ptr<gateway::AuthMiddleware> auth_mw_;
  std::unique_ptr<gateway::RateLimitMiddleware> rate_mw_;
  std::unique_ptr<sql::Database> platform_db_;
  std::string instance_id_;
  std::unique_ptr<health::HealthService> health_;
  std::unique_ptr<OpsRoutes> ops_;
  std::unique_ptr<GrpcEndpoint> grpc_;
  http::Router router_;
  http::RequestContextMiddleware context_;
  http::AccessLogMiddleware access_log_;
  std::unique_ptr<http::ForwardedForMiddleware> forwarded_for_;
  std::unique_ptr<http::CorsMiddleware> cors_;
  std::unique_ptr<http::SecurityHeadersMiddleware> security_;
  std::vector<http::Middleware*> chain_;
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
  MH_TRY(OpenMigrated(config, "business", &business::MigrateBusinessDatabase).status());
  MH_TRY(OpenMigrated(config, "rag", &rag::MigrateRagDatabase).status());
  MH_TRY(OpenMigrated(config, "chatbot", &chatbot::MigrateChatbotDatabase).status());
  return OpenMigrated(config, "assistant", &assistant::MigrateAssistantDatabase).status();
}

}  // namespace app
}  // namespace milkyhoop
