#pragma once
// The configuration of the milkyhoop binary: every key with its default, loaded from a TOML
// file, MILKYHOOP_* environment variables and flags (in that order of precedence, lowest first).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "milkyhoop/core/config_loader.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::app {

struct AppConfig {
  struct Server {
    std::string listen = "0.0.0.0:8000";
    std::string data_dir = "./data";
    std::int64_t io_threads = 0;
    std::int64_t blocking_threads = 8;
    std::int64_t shutdown_timeout_ms = 5000;
    std::vector<std::string> services = {"all"};
  } server;
  struct Http {
    std::int64_t max_body_bytes = 1 << 20;
    std::int64_t max_header_bytes = 16 << 10;
    std::int64_t read_timeout_ms = 10'000;
    std::int64_t idle_timeout_ms = 60'000;
    std::int64_t write_timeout_ms = 30'000;
    std::int64_t max_connections = 10'000;
    std::vector<std::string> cors_origins;
    // Load balancers whose X-Forwarded-For names the client (addresses or CIDR blocks).
    std::vector<std::string> trusted_proxies;
    bool access_log = true;
    bool hsts = false;
    std::string docs_dir;  // Swagger UI files; empty → "swagger-ui" beside the binary
  } http;
  struct Log {
    std::string level = "info";
    std::string format = "json";
  } log;
  struct Database {
    std::string driver = "sqlite";
    std::string dsn;       // PostgreSQL; prefer MILKYHOOP_DATABASE_DSN or dsn_file for secrets
    std::string dsn_file;  // a file holding the DSN
    std::int64_t pool_size = 8;
    // PostgreSQL: each service's schema is <schema_prefix><service>, so several installs (or
    // test deployments) can share one database.
    std::string schema_prefix;
    std::int64_t busy_timeout_ms = 5000;
  } database;

  struct Events {
    // "memory": the in-process bus (one process). "kafka": Apache Kafka, for services in
    // separate processes (or one process that should survive its consumers' failures alike).
    std::string bus = "memory";
    std::string kafka_bootstrap_servers;
    std::string kafka_topic_prefix = "milkyhoop.";
  } events;

  struct Security {
    std::string keys_file;  // master + index keys; empty → env, else <data_dir>/keys/master.keys
  } security;
  struct Auth {
    std::string issuer = "milkyhoop";
    std::string audience = "milkyhoop-api";
    std::string jwt_algorithm = "EdDSA";
    std::int64_t access_token_ttl_s = 900;
    std::int64_t clock_skew_s = 30;
    std::int64_t me_cache_ms = 1000;  // 0: every GET /v1/auth/me reads the services
  } auth;
  struct Oidc {
    std::string issuer;  // empty: sign-in with an OIDC provider is off
    std::string client_id;
    std::string client_secret;  // only from MILKYHOOP_OIDC_CLIENT_SECRET or client_secret_file
    std::string client_secret_file;
    std::vector<std::string> redirect_uris;
    std::string frontend_redirect_url;
    std::string ca_file;
  } oidc;
  struct RateLimits {
    std::int64_t general_per_minute = 100;
    std::int64_t auth_per_minute = 10;
    std::int64_t public_chat_per_minute = 30;
    std::int64_t public_chat_per_business_per_minute = 600;
    // "memory": this process's own buckets. "redis": buckets in Redis (redis.url), shared by
    // every gateway replica.
    std::string backend = "memory";
    // With the redis backend, when Redis cannot answer: "open" lets requests through, "closed"
    // refuses them with Retry-After.
    std::string redis_failure = "open";
  } ratelimit;
  struct Redis {
    std::string url;       // redis://host[:port][/db]; a password in it is better given as
    std::string password;  // MILKYHOOP_REDIS_PASSWORD (only from there)
  } redis;
  struct Rag {
    // An OpenAI-compatible embeddings server; empty: keyword retrieval only.
    std::string embedding_url;
    std::string embedding_model;
    std::string embedding_api_key;  // only from MILKYHOOP_RAG_EMBEDDING_API_KEY
    std::int64_t embedding_timeout_ms = 15'000;
    // Index snapshots ("" = <data_dir>/rag-snapshots), written at stop and every interval.
    std::string snapshot_dir;
    std::int64_t snapshot_interval_s = 300;
    // How often the change log is applied (writes made through other rag processes), and how
    // long it keeps changes.
    std::int64_t sync_interval_ms = 250;
    std::int64_t change_retention_s = 86'400;
    // How long a document in background ingestion stays leased to its process without renewal.
    std::int64_t document_lease_ms = 60'000;
    // The embedding backfill's look at the tables when nothing signalled a missing vector, and
    // the provider's circuit breaker (rag_factory.hpp).
    std::int64_t embedding_backfill_interval_s = 60;
    std::int64_t embedding_failure_threshold = 2;
    std::int64_t embedding_cooldown_ms = 5000;
  } rag;
  struct Chatbot {
    // Bots' LLM URLs are set by tenants: by default they may not reach loopback or private
    // addresses (this machine, the internal network, cloud metadata). True for a self-hosted
    // LLM on the local network.
    bool llm_allow_private_networks = false;
  } chatbot;
  struct Assistant {
    // The intent cascade's last step: an OpenAI-compatible server that reads owner messages the
    // rules cannot, as JSON constrained by a schema; empty: rules only.
    std::string llm_url;
    std::string llm_model;
    std::string llm_api_key;  // only from MILKYHOOP_ASSISTANT_LLM_API_KEY
    std::string llm_response_format = "json_schema";
    std::int64_t llm_timeout_ms = 5'000;
  } assistant;

  struct Grpc {
    // Where this process serves its services to the others (split shape only).
    std::string listen = "127.0.0.1:9000";
    // TLS of that server: certificate and key (PEM files), and optionally the CA that signs
    // client certificates (mutual TLS).
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string tls_client_ca_file;
    // TLS towards remote services: the CA of their certificates (empty: plaintext), and the name
    // to check in them instead of the address's host.
    std::string tls_ca_file;
    std::string tls_server_name;
    std::int64_t call_deadline_ms = 2'000;
    // Largest message either way; a document upload (25 MiB) travels to rag in one.
    std::int64_t max_message_bytes = 32 << 20;
    // A chat turn may wait on an LLM (an owner turn: at least assistant.llm_timeout_ms + 5 s).
    std::int64_t chat_deadline_ms = 60'000;
  } grpc;
  // remote.<service>: host:port of the process hosting each service this process calls but
  // does not host. Keyed by the names of kServiceNames (service_plan.hpp).
  std::map<std::string, std::string, std::less<>> remote;

  // Host and port of server.listen, parsed and validated by Finish().
  std::string listen_host;
  std::uint16_t listen_port = 0;
};

// Declares every key of AppConfig on `loader`, bound to `config`.
void DeclareKeys(config::Loader& loader, AppConfig& config);

// The grpc.* and remote.* keys (part of DeclareKeys).
void DeclareGrpcKeys(config::Loader& loader, AppConfig& config);

// Checks cross-key constraints and derives listen_host/listen_port; reads dsn_file.
Status Finish(AppConfig& config);

// The remote.<service> address of `service` (one of kServiceNames).
const std::string& RemoteAddress(const AppConfig& config, std::string_view service);

// server.services against the rest: remote addresses present, Kafka for split events.
Status CheckServicePlan(const AppConfig& config);

// Splits "host:port" / "[v6]:port"; the error names `key`.
Status ParseListen(std::string_view text, std::string* host, std::uint16_t* port);

}  // namespace milkyhoop::app
