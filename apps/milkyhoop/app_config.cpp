#include "app_config.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/http/forwarded_for.hpp"
#include "milkyhoop/redis/redis_client.hpp"
#include "service_plan.hpp"

namespace milkyhoop::app {
namespace {

std::string OneOf(const std::string& v, std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (v == a) return {};
  }
  std::string msg = "must be one of";
  for (auto a : allowed) msg += " '" + std::string(a) + "'";
  return msg + ", got '" + v + "'";
}

// Validator of a HOST:PORT key; an empty value passes when `optional`.
std::function<std::string(const std::string&)> AddressCheck(bool optional) {
  return [optional](const std::string& v) {
    if (optional && v.empty()) return std::string();
    std::string h;
    std::uint16_t p;
    Status s = ParseListen(v, &h, &p);
    return s.ok() ? std::string() : s.field_errors()[0].message;
  };
}

}  // namespace

const std::string& RemoteAddress(const AppConfig& c, std::string_view service) {
  static const std::string kNone;
  auto it = c.remote.find(service);
  return it == c.remote.end() ? kNone : it->second;
}

Status ParseListen(std::string_view text, std::string* host, std::uint16_t* port) {
  std::string_view h, p;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return InvalidField("server.listen", "must be HOST:PORT, got '" + std::string(text) + "'");
    }
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return InvalidField("server.listen", "must be HOST:PORT, got '" + std::string(text) + "'");
    }
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || ptr != p.data() + p.size() || value > 65535 || p.empty()) {
    return InvalidField("server.listen", "port must be 0-65535, got '" + std::string(p) + "'");
  }
  *host = h.empty() ? "0.0.0.0" : std::string(h);
  if (*host == "localhost") *host = "127.0.0.1";
  *port = static_cast<std::uint16_t>(value);
  return Status::Ok();
}

void DeclareKeys(config::Loader& l, AppConfig& c) {
  using config::BoolKey;
  using config::IntKey;
  using config::ListKey;
  using config::StringKey;
  l.Add(StringKey("server.listen", &c.server.listen,
                  "HTTP listen address HOST:PORT (port 0 picks one)", [](const std::string& v) {
                    std::string h;
                    std::uint16_t p;
                    Status s = ParseListen(v, &h, &p);
                    return s.ok() ? std::string() : s.field_errors()[0].message;
                  }));
  l.Add(StringKey("server.data_dir", &c.server.data_dir, "Directory of the SQLite files (created)",
                  [](const std::string& v) { return v.empty() ? "must not be empty" : ""; }));
  l.Add(IntKey("server.io_threads", &c.server.io_threads, 0, 256, "I/O threads; 0 = one per core"));
  l.Add(IntKey("server.blocking_threads", &c.server.blocking_threads, 1, 1024,
               "Threads for database and other blocking work"));
  l.Add(IntKey("server.shutdown_timeout_ms", &c.server.shutdown_timeout_ms, 0, 600'000,
               "How long in-flight requests may finish after SIGTERM"));
  l.Add(ListKey("server.services", &c.server.services,
                "Services hosted by this process; 'all' for the all-in-one shape"));
  l.Add(IntKey("http.max_body_bytes", &c.http.max_body_bytes, 1024, 1LL << 31,
               "Default request body limit"));
  l.Add(IntKey("http.max_header_bytes", &c.http.max_header_bytes, 1024, 1 << 20,
               "Request header limit (431 beyond)"));
  l.Add(IntKey("http.read_timeout_ms", &c.http.read_timeout_ms, 100, 600'000,
               "Time a client has to send a whole request"));
  l.Add(IntKey("http.idle_timeout_ms", &c.http.idle_timeout_ms, 100, 3'600'000,
               "Keep-alive idle time before the connection is closed"));
  l.Add(IntKey("http.write_timeout_ms", &c.http.write_timeout_ms, 100, 600'000,
               "Time a client has to read a response"));
  l.Add(IntKey("http.max_connections", &c.http.max_connections, 1, 1'000'000,
               "Open connections beyond which new ones get 503"));
  l.Add(ListKey("http.cors_origins", &c.http.cors_origins, "Origins allowed by CORS ('*' = any)"));
  l.Add(ListKey("http.trusted_proxies", &c.http.trusted_proxies,
                "Load balancers (addresses or CIDR blocks) whose X-Forwarded-For names the "
                "client; empty = the header is ignored"));
  l.Add(BoolKey("http.access_log", &c.http.access_log, "Log one line per request"));
  l.Add(BoolKey("http.hsts", &c.http.hsts, "Send Strict-Transport-Security (behind TLS)"));
  l.Add(StringKey("http.docs_dir", &c.http.docs_dir, "Swagger UI asset directory"));
  l.Add(StringKey("log.level", &c.log.level, "debug, info, warn, error or off",
                  [](const std::string& v) {
                    return OneOf(v, {"debug", "info", "warn", "error", "off"});
                  }));
  l.Add(StringKey("log.format", &c.log.format, "json or text", [](const std::string& v) {
    return OneOf(v, {"json", "text"});
  }));
  l.Add(StringKey("database.driver", &c.database.driver, "sqlite or postgres",
                  [](const std::string& v) {
                    return OneOf(v, {"sqlite", "postgres"});
                  }));
  l.Add(StringKey("database.dsn", &c.database.dsn,
                  "PostgreSQL connection string (give passwords through the environment)"));
  l.Add(StringKey("database.dsn_file", &c.database.dsn_file, "File holding the PostgreSQL DSN"));
  l.Add(StringKey("database.schema_prefix", &c.database.schema_prefix,
                  "PostgreSQL: prefix of every service's schema (several installs in one database)",
                  [](const std::string& v) {
                    if (v.size() > 20) return std::string("at most 20 characters");
                    for (std::size_t i = 0; i < v.size(); ++i) {
                      const char ch = v[i];
                      const bool ok = (ch >= 'a' && ch <= 'z') || ch == '_' ||
                                      (i > 0 && ch >= '0' && ch <= '9');
                      if (!ok) return std::string("must match [a-z_][a-z0-9_]*");
                    }
                    return std::string();
                  }));
  l.Add(IntKey("database.pool_size", &c.database.pool_size, 1, 1024,
               "PostgreSQL connections per service"));
  l.Add(
      StringKey("security.keys_file", &c.security.keys_file,
                "File of master and index keys (default: env, else <data_dir>/keys/master.keys)"));
  l.Add(StringKey("auth.issuer", &c.auth.issuer, "iss of access tokens"));
  l.Add(StringKey("auth.audience", &c.auth.audience, "aud of access tokens"));
  l.Add(StringKey("auth.jwt_algorithm", &c.auth.jwt_algorithm, "EdDSA, RS256 or HS256",
                  [](const std::string& v) {
                    return OneOf(v, {"EdDSA", "RS256", "HS256"});
                  }));
  l.Add(IntKey("auth.access_token_ttl_s", &c.auth.access_token_ttl_s, 1, 86'400,
               "Lifetime of access tokens"));
  l.Add(IntKey("auth.clock_skew_s", &c.auth.clock_skew_s, 0, 300,
               "Clock skew tolerated when checking exp/nbf/iat of access tokens"));
  l.Add(IntKey("auth.me_cache_ms", &c.auth.me_cache_ms, 0, 60'000,
               "How long GET /v1/auth/me may be answered from memory (0 = never); writes made "
               "in this process are seen at once"));
  l.Add(StringKey("oidc.issuer", &c.oidc.issuer, "OIDC provider issuer URL; empty = off"));
  l.Add(StringKey("oidc.client_id", &c.oidc.client_id, "OIDC client id"));
  l.Add(StringKey("oidc.client_secret_file", &c.oidc.client_secret_file,
                  "File holding the OIDC client secret (or MILKYHOOP_OIDC_CLIENT_SECRET)"));
  l.Add(ListKey("oidc.redirect_uris", &c.oidc.redirect_uris, "Allowed OIDC redirect URIs"));
  l.Add(StringKey("oidc.frontend_redirect_url", &c.oidc.frontend_redirect_url,
                  "Where the OIDC callback sends the browser with the tokens (optional)"));
  l.Add(StringKey("oidc.ca_file", &c.oidc.ca_file, "Extra CA certificate for the provider"));
  l.Add(IntKey("ratelimit.general_per_minute", &c.ratelimit.general_per_minute, 1, 1'000'000,
               "Requests per minute per user, API key or IP"));
  l.Add(IntKey("ratelimit.auth_per_minute", &c.ratelimit.auth_per_minute, 1, 1'000'000,
               "Requests per minute per IP on auth routes"));
  l.Add(IntKey("ratelimit.public_chat_per_minute", &c.ratelimit.public_chat_per_minute, 1,
               1'000'000, "Public chat messages per minute per visitor IP"));
  l.Add(IntKey("ratelimit.public_chat_per_business_per_minute",
               &c.ratelimit.public_chat_per_business_per_minute, 1, 10'000'000,
               "Chat messages per minute to one business's bot, from all visitors and API keys"));
  l.Add(StringKey("ratelimit.backend", &c.ratelimit.backend,
                  "Where rate-limit buckets live: memory (this process) or redis (shared by "
                  "every gateway replica; needs redis.url)",
                  [](const std::string& v) {
                    return OneOf(v, {"memory", "redis"});
                  }));
  l.Add(StringKey("ratelimit.redis_failure", &c.ratelimit.redis_failure,
                  "When Redis cannot answer: open (let requests through) or closed (refuse them)",
                  [](const std::string& v) {
                    return OneOf(v, {"open", "closed"});
                  }));
  l.Add(StringKey("redis.url", &c.redis.url, "Redis for shared state, redis://host[:port][/db]",
                  [](const std::string& v) {
                    if (v.empty()) return std::string();
                    auto parsed = redis::ParseRedisUrl("redis.url", v);
                    return parsed.ok() ? std::string() : parsed.status().field_errors()[0].message;
                  }));
  l.Add(BoolKey("chatbot.llm_allow_private_networks", &c.chatbot.llm_allow_private_networks,
                "Let bots' LLM URLs reach loopback and private addresses (a self-hosted LLM)"));
  l.Add(StringKey("rag.embedding_url", &c.rag.embedding_url,
                  "OpenAI-compatible base URL for /embeddings (e.g. http://127.0.0.1:8080/v1); "
                  "empty = keyword retrieval only",
                  [](const std::string& v) {
                    return v.empty() || v.starts_with("http://") || v.starts_with("https://")
                               ? ""
                               : "must be an http:// or https:// URL";
                  }));
  l.Add(StringKey("rag.embedding_model", &c.rag.embedding_model, "Embedding model name"));
  l.Add(IntKey("rag.embedding_timeout_ms", &c.rag.embedding_timeout_ms, 100, 600'000,
               "Time limit of one embeddings request"));
  l.Add(IntKey("rag.embedding_failure_threshold", &c.rag.embedding_failure_threshold, 1, 100,
               "Consecutive failed embedding calls that open the breaker (searches go "
               "keyword-only at once, writes store passages without vectors)"));
  l.Add(IntKey("rag.embedding_cooldown_ms", &c.rag.embedding_cooldown_ms, 100, 600'000,
               "How long the open breaker waits before the backfill probes the provider again"));
  l.Add(IntKey("rag.embedding_backfill_interval_s", &c.rag.embedding_backfill_interval_s, 1, 86'400,
               "Seconds between looks for passages without a vector of the configured model "
               "(writes that could not embed and a start look at once)"));
  l.Add(StringKey("rag.snapshot_dir", &c.rag.snapshot_dir,
                  "Directory of the knowledge index snapshots (default <data_dir>/rag-snapshots)"));
  l.Add(IntKey("rag.snapshot_interval_s", &c.rag.snapshot_interval_s, 0, 86'400,
               "Seconds between index snapshots of changed businesses; 0 = at stop only"));
  l.Add(IntKey("rag.sync_interval_ms", &c.rag.sync_interval_ms, 10, 60'000,
               "How often the index change log is applied (writes through other rag processes)"));
  l.Add(IntKey("rag.change_retention_s", &c.rag.change_retention_s, 60, 30 * 86'400,
               "How long the index change log keeps changes; an older snapshot is rebuilt"));
  l.Add(IntKey("rag.document_lease_ms", &c.rag.document_lease_ms, 1'000, 3'600'000,
               "Lease of a document in background ingestion; one left by a process that has been "
               "gone this long is marked failed"));
  l.Add(StringKey("assistant.llm_url", &c.assistant.llm_url,
                  "OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1) that reads owner "
                  "messages the rules cannot; empty = rules only",
                  [](const std::string& v) {
                    return v.empty() || v.starts_with("http://") || v.starts_with("https://")
                               ? ""
                               : "must be an http:// or https:// URL";
                  }));
  l.Add(
      StringKey("assistant.llm_model", &c.assistant.llm_model, "Model name for assistant.llm_url"));
  l.Add(StringKey("assistant.llm_response_format", &c.assistant.llm_response_format,
                  "How the answer's JSON schema is asked for: json_schema (OpenAI structured "
                  "outputs, vLLM, llama.cpp server, Ollama) or json_object (llama-cpp-python)",
                  [](const std::string& v) {
                    return OneOf(v, {"json_schema", "json_object"});
                  }));
  l.Add(IntKey("assistant.llm_timeout_ms", &c.assistant.llm_timeout_ms, 100, 120'000,
               "Time limit of the LLM step of one owner turn"));
  l.Add(StringKey("events.bus", &c.events.bus,
                  "Event bus: memory (in-process) or kafka (events.kafka_bootstrap_servers)",
                  [](const std::string& v) {
                    return OneOf(v, {"memory", "kafka"});
                  }));
  l.Add(StringKey("events.kafka_bootstrap_servers", &c.events.kafka_bootstrap_servers,
                  "Kafka brokers, host:port[,host:port]"));
  l.Add(StringKey("events.kafka_topic_prefix", &c.events.kafka_topic_prefix,
                  "Prefix of every topic and consumer group name", [](const std::string& v) {
                    for (char ch : v) {
                      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' &&
                          ch != '-') {
                        return std::string("may hold only letters, digits, '.', '_' and '-'");
                      }
                    }
                    return std::string();
                  }));
  l.Add(IntKey("database.busy_timeout_ms", &c.database.busy_timeout_ms, 0, 600'000,
               "SQLite busy timeout"));
  DeclareGrpcKeys(l, c);
}

void DeclareGrpcKeys(config::Loader& l, AppConfig& c) {
  using config::IntKey;
  using config::StringKey;
  l.Add(StringKey("grpc.listen", &c.grpc.listen,
                  "gRPC address HOST:PORT this process serves its services on (split shape; port "
                  "0 picks one)",
                  AddressCheck(false)));
  l.Add(StringKey("grpc.tls_cert_file", &c.grpc.tls_cert_file, "gRPC server certificate (PEM)"));
  l.Add(StringKey("grpc.tls_key_file", &c.grpc.tls_key_file, "gRPC server private key (PEM)"));
  l.Add(StringKey("grpc.tls_client_ca_file", &c.grpc.tls_client_ca_file,
                  "CA of client certificates; set = mutual TLS"));
  l.Add(StringKey("grpc.tls_ca_file", &c.grpc.tls_ca_file,
                  "CA of remote services' certificates; empty = plaintext to them"));
  l.Add(StringKey("grpc.tls_server_name", &c.grpc.tls_server_name,
                  "Name checked in remote services' certificates instead of the address host"));
  l.Add(IntKey("grpc.call_deadline_ms", &c.grpc.call_deadline_ms, 10, 600'000,
               "Deadline of each call to a remote service"));
  l.Add(IntKey("grpc.chat_deadline_ms", &c.grpc.chat_deadline_ms, 100, 600'000,
               "Deadline of a chat turn answered by a remote chatbot service"));
  l.Add(IntKey("grpc.max_message_bytes", &c.grpc.max_message_bytes, 1 << 20, 1LL << 30,
               "Largest gRPC message sent or received (documents travel to rag in one)"));
  for (std::string_view service : kServiceNames) {
    l.Add(StringKey(
        "remote." + std::string(service), &c.remote[std::string(service)],
        "HOST:PORT of the process hosting " + std::string(service) + " when this one does not",
        AddressCheck(true)));
  }
}

Status Finish(AppConfig& c) {
  MH_TRY(ParseListen(c.server.listen, &c.listen_host, &c.listen_port));
  if (!c.database.dsn_file.empty()) {
    std::ifstream in(c.database.dsn_file);
    if (!in) return InvalidField("database.dsn_file", "cannot read " + c.database.dsn_file);
    std::stringstream ss;
    ss << in.rdbuf();
    c.database.dsn = ss.str();
    while (!c.database.dsn.empty() &&
           std::isspace(static_cast<unsigned char>(c.database.dsn.back()))) {
      c.database.dsn.pop_back();
    }
  }
  if (c.database.driver == "postgres" && c.database.dsn.empty()) {
    return InvalidField("database.dsn",
                        "required when database.driver is 'postgres' (set MILKYHOOP_DATABASE_DSN "
                        "or database.dsn_file)");
  }
  if (const char* secret = std::getenv("MILKYHOOP_OIDC_CLIENT_SECRET")) {
    c.oidc.client_secret = secret;
  } else if (!c.oidc.client_secret_file.empty()) {
    std::ifstream in(c.oidc.client_secret_file);
    if (!in) {
      return InvalidField("oidc.client_secret_file", "cannot read " + c.oidc.client_secret_file);
    }
    std::getline(in, c.oidc.client_secret);
  }
  if (const char* key = std::getenv("MILKYHOOP_RAG_EMBEDDING_API_KEY")) {
    c.rag.embedding_api_key = key;
  }
  if (const char* key = std::getenv("MILKYHOOP_ASSISTANT_LLM_API_KEY")) {
    c.assistant.llm_api_key = key;
  }
  if (!c.assistant.llm_url.empty() && c.assistant.llm_model.empty()) {
    return InvalidField("assistant.llm_model", "required when assistant.llm_url is set");
  }
  if (!c.rag.embedding_url.empty() && c.rag.embedding_model.empty()) {
    return InvalidField("rag.embedding_model", "required when rag.embedding_url is set");
  }
  if (const char* password = std::getenv("MILKYHOOP_REDIS_PASSWORD")) c.redis.password = password;
  if (c.ratelimit.backend == "redis" && c.redis.url.empty()) {
    return InvalidField("redis.url", "required when ratelimit.backend is 'redis'");
  }
  if (c.events.bus == "kafka" && c.events.kafka_bootstrap_servers.empty()) {
    return InvalidField("events.kafka_bootstrap_servers", "required when events.bus is 'kafka'");
  }
  MH_TRY(http::ParseIpNetworks(c.http.trusted_proxies, "http.trusted_proxies").status());
  return CheckServicePlan(c);
}

// A process that hosts some services must know where the ones they call live, and share events
// with the others through Kafka.
Status CheckServicePlan(const AppConfig& c) {
  MH_ASSIGN_OR_RETURN(ServicePlan plan, ServicePlan::From(c.server.services));
  for (std::string_view service : kServiceNames) {
    if (plan.remote(service) && RemoteAddress(c, service).empty()) {
      return InvalidField(
          "remote." + std::string(service),
          "required: this process hosts " + std::string(plan.first_caller(service)) +
              ", which calls " + std::string(service) +
              ", and does not host it; give the HOST:PORT of the process that does");
    }
  }
  if (plan.splits_events() && c.events.bus != "kafka") {
    return InvalidField("events.bus",
                        "must be 'kafka' when services run in separate processes: their events "
                        "cross processes");
  }
  if (plan.hosts("gateway") && plan.remote("auth") && c.auth.jwt_algorithm == "HS256") {
    return InvalidField("auth.jwt_algorithm",
                        "HS256 keys never leave the auth service: use EdDSA or RS256 when the "
                        "gateway and auth run in separate processes");
  }
  return Status::Ok();
}

}  // namespace milkyhoop::app
