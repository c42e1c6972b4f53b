#include "identity_module.hpp"

#include <filesystem>

#include "milkyhoop/audit/audit_factory.hpp"
#include "milkyhoop/audit/audit_grpc.hpp"
#include "milkyhoop/audit/audit_service.hpp"
#include "milkyhoop/auth/auth_config.hpp"
#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/auth/auth_grpc.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/hash.hpp"
#include "milkyhoop/crypto/key_file.hpp"
#include "milkyhoop/crypto/key_ring_loader.hpp"
#include "milkyhoop/events/outbox_relay.hpp"
#include "milkyhoop/gateway/audit_routes.hpp"
#include "milkyhoop/gateway/auth_routes.hpp"
#include "milkyhoop/gateway/me_cache.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/gateway/token_authenticator.hpp"
#include "milkyhoop/gateway/user_directory.hpp"
#include "milkyhoop/org/org_factory.hpp"
#include "milkyhoop/org/org_grpc.hpp"
#include "milkyhoop/org/org_service.hpp"
#include "milkyhoop/security/security_grpc.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/commit_epoch.hpp"
#include "service_databases.hpp"

namespace milkyhoop::app {
namespace {

std::filesystem::path DefaultKeyFile(const AppConfig& c) {
  return std::filesystem::path(c.server.data_dir) / "keys" / "master.keys";
}

auth::AuthConfig MakeAuthConfig(const AppConfig& c) {
  auth::AuthConfig a;
  a.issuer = c.auth.issuer;
  a.audience = c.auth.audience;
  a.jwt_algorithm = c.auth.jwt_algorithm;
  a.access_token_ttl = std::chrono::seconds(c.auth.access_token_ttl_s);
  a.oidc.issuer = c.oidc.issuer;
  a.oidc.client_id = c.oidc.client_id;
  a.oidc.client_secret = c.oidc.client_secret;
  a.oidc.redirect_uris = c.oidc.redirect_uris;
  a.oidc.frontend_redirect_url = c.oidc.frontend_redirect_url;
  a.oidc.ca_file = c.oidc.ca_file;
  return a;
}

class IdentityModuleImpl final : public IdentityModule {
 public:
  IdentityModuleImpl(const AppConfig& config, const ServicePlan& plan, RemoteServices& remotes,
                     events::EventBus& bus, RelayOptionsFor relay_options, const Clock& clock,
                     metrics::Registry& metrics)
      : config_(config),
        plan_(plan),
        remotes_(remotes),
        bus_(bus),
        relay_options_(std::move(relay_options)),
        clock_(clock),
        metrics_(metrics) {}
  ~IdentityModuleImpl() override { Stop(); }

  // Each of security, auth, org and audit is built here when hosted, reached over gRPC when a
  // hosted service (or the gateway) calls it, and absent otherwise.
  Status Init() {
    MH_TRY(InitSecurity());
    if (plan_.hosts("auth")) {
      MH_ASSIGN_OR_RETURN(auth_db_, OpenMigrated(config_, "auth", &auth::MigrateAuthDatabase));
      auth_db_ = sql::AdvanceOnCommit(std::move(auth_db_), identity_writes_);
      auth_relay_ = std::make_unique<events::OutboxRelay>("auth", *auth_db_, bus_,
                                                          relay_options_("auth"), &metrics_);
      auth::AuthDependencies deps;
      deps.db = auth_db_.get();
      deps.security = security_.get();
      deps.clock = &clock_;
      deps.outbox_notify = [relay = auth_relay_.get()] { relay->Notify(); };
      MH_ASSIGN_OR_RETURN(auth_, auth::CreateAuthService(deps, MakeAuthConfig(config_)));
    } else if (plan_.remote("auth")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("auth"));
      auth_ = auth::MakeAuthGrpcClient(channel, remotes_.call_deadline());
    }
    if (plan_.hosts("org")) {
      MH_ASSIGN_OR_RETURN(org_db_, OpenMigrated(config_, "org", &org::MigrateOrgDatabase));
      org_db_ = sql::AdvanceOnCommit(std::move(org_db_), identity_writes_);
      org_relay_ = std::make_unique<events::OutboxRelay>("org", *org_db_, bus_,
                                                         relay_options_("org"), &metrics_);
      MH_TRY(org::SubscribeOrgConsumers(bus_, *org_db_, clock_));
      orgs_ = org::MakeOrgService(*org_db_, clock_);
    } else if (plan_.remote("org")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("org"));
      orgs_ = org::MakeOrgGrpcClient(channel, remotes_.call_deadline());
    }
    if (plan_.hosts("audit")) {
      MH_ASSIGN_OR_RETURN(audit_db_, OpenMigrated(config_, "audit", &audit::MigrateAuditDatabase));
      MH_TRY(audit::SubscribeAuditConsumer(bus_, *audit_db_, clock_));
      audit_ = audit::MakeAuditService(*audit_db_, clock_);
    } else if (plan_.remote("audit")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("audit"));
      audit_ = audit::MakeAuditGrpcClient(channel, remotes_.call_deadline());
    }
    if (plan_.hosts("gateway")) MH_TRY(InitAuthenticator());
    return Status::Ok();
  }

  // The master keys are read where secrets are sealed (security) and where keys are derived
  // from them (the chatbot's conversation tokens).
  Status InitSecurity() {
    if (plan_.hosts("security") || plan_.hosts("chatbot")) {
      MH_ASSIGN_OR_RETURN(crypto::KeyRing ring, LoadKeys(config_));
      derivation_key_ = ring.index_key();
      if (plan_.hosts("security")) security_ = security::MakeSecurityService(std::move(ring));
    }
    if (!security_ && plan_.remote("security")) {
      MH_ASSIGN_OR_RETURN(auto channel, remotes_.Channel("security"));
      security_ = security::MakeSecurityGrpcClient(channel, remotes_.call_deadline());
    }
    return Status::Ok();
  }

  // The gateway's check of access tokens and API keys. Tokens are verified here, with the auth
  // service's keys: its own keys in one process, its published public keys (GetJwks) when auth
  // runs elsewhere.
  Status InitAuthenticator() {
    users_ = gateway::MakeAuthUserDirectory(*auth_);
    gateway::VerificationKeySource keys;
    if (plan_.hosts("auth")) {
      MH_ASSIGN_OR_RETURN(keys, auth::LocalVerificationKeys(*auth_));
    } else {
      keys = gateway::JwksKeySource(*auth_);
    }
    gateway::TokenAuthenticatorOptions topts;
    topts.issuer = config_.auth.issuer;
    topts.audience = config_.auth.audience;
    topts.algorithms = {config_.auth.jwt_algorithm};
    topts.clock_skew = std::chrono::seconds(config_.auth.clock_skew_s);
    org::OrgService* orgs = orgs_.get();
    auto verify_key = [orgs](std::string_view secret) -> Result<http::Principal> {
      org::v1::VerifyApiKeyRequest req;
      req.set_secret(std::string(secret));
      MH_ASSIGN_OR_RETURN(auto resp, orgs->VerifyApiKey(req));
      http::Principal p;
      p.kind = http::Principal::Kind::kApiKey;
      p.subject_id = resp.key_id();
      p.org_id = resp.org_id();
      p.business_id = resp.business_id();
      p.scopes.assign(resp.scopes().begin(), resp.scopes().end());
      return p;
    };
    MH_ASSIGN_OR_RETURN(authenticator_, gateway::TokenAuthenticator::Create(topts, std::move(keys),
                                                                            verify_key, clock_));
    if (Status s = authenticator_->Prime(); !s.ok()) {
      if (plan_.hosts("auth")) return s;
      // The auth process may start after the gateway: keys are fetched on the first token.
      MH_LOG_WARN("access-token keys not loaded yet", {"error", s.message()});
    }
    return Status::Ok();
  }

  Status RegisterRoutes(http::Router& router) override {
    gateway::AuthRoutesOptions options;
    org::OrgService* orgs = orgs_.get();
    options.org_memberships =
        [orgs](std::string_view user_id) -> Result<std::vector<gateway::OrgMembership>> {
      org::v1::ListOrgsRequest req;
      req.set_user_id(std::string(user_id));
      req.set_limit(200);
      MH_ASSIGN_OR_RETURN(auto resp, orgs->ListOrgs(req));
      std::vector<gateway::OrgMembership> out;
      for (const auto& item : resp.items()) {
        out.push_back({item.org().id(), item.org().name(), item.role()});
      }
      return out;
    };
    options.oauth_frontend_redirect_url = config_.oidc.frontend_redirect_url;
    // /me is read from the user and organisation databases: cached only where every write to
    // them in this process advances identity_writes_.
    if (plan_.hosts("auth") && plan_.hosts("org") && config_.auth.me_cache_ms > 0) {
      gateway::MeCacheOptions cache_options;
      cache_options.ttl = std::chrono::milliseconds(config_.auth.me_cache_ms);
      me_cache_ = std::make_unique<gateway::MeCache>(
          [epoch = &identity_writes_] { return epoch->Current(); }, clock_, cache_options);
      options.me_cache = me_cache_.get();
    }
    MH_TRY(gateway::RegisterAuthRoutes(router, *auth_, std::move(options)));
    MH_TRY(gateway::RegisterOrgRoutes(router, *orgs_, *users_));
    MH_TRY(gateway::RegisterAuditRoutes(router, *orgs_, *audit_));
    return Status::Ok();
  }

  gateway::Authenticator& authenticator() override { return *authenticator_; }
  auth::AuthService* auth() override { return auth_.get(); }
  org::OrgService* orgs() override { return orgs_.get(); }
  audit::AuditService* audit() override { return audit_.get(); }
  security::SecurityService* security() override { return security_.get(); }
  std::string DeriveKey(std::string_view purpose) const override {
    return crypto::HmacSha256(derivation_key_.view(),
                              "milkyhoop.derived-key.v1:" + std::string(purpose));
  }

  std::vector<health::HealthProbe> Probes() override {
    std::vector<health::HealthProbe> probes;
    if (auth_db_) probes.push_back({"auth", [db = auth_db_.get()] { return db->Ping(); }});
    if (org_db_) probes.push_back({"organization", [db = org_db_.get()] { return db->Ping(); }});
    if (audit_db_) probes.push_back({"audit", [db = audit_db_.get()] { return db->Ping(); }});
    if (plan_.hosts("security")) probes.push_back({"security", [] { return Status::Ok(); }});
    return probes;
  }

  void Start() override {
    if (auth_relay_) auth_relay_->Start();
    if (org_relay_) org_relay_->Start();
  }

  void Stop() override {
    if (auth_relay_) auth_relay_->Stop();
    if (org_relay_) org_relay_->Stop();
  }

 private:
  const AppConfig& config_;
  const ServicePlan& plan_;
  RemoteServices& remotes_;
  events::EventBus& bus_;
  const RelayOptionsFor relay_options_;
  const Clock& clock_;
  metrics::Registry& metrics_;
  std::unique_ptr<security::SecurityService> security_;
  crypto::SecretBytes derivation_key_;
  // Advanced by every write transaction of the auth and organisation databases (declared
  // before them: they hold a reference).
  sql::CommitEpoch identity_writes_;
  std::unique_ptr<sql::Database> auth_db_, org_db_, audit_db_;
  std::unique_ptr<events::OutboxRelay> auth_relay_, org_relay_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<org::OrgService> orgs_;
  std::unique_ptr<audit::AuditService> audit_;
  std::unique_ptr<gateway::MeCache> me_cache_;  // GET /v1/auth/me, when auth and org are here
  std::unique_ptr<gateway::UserDirectory> users_;
  std::unique_ptr<gateway::TokenAuthenticator> authenticator_;
};

}  // namespace

Result<std::unique_ptr<IdentityModule>> IdentityModule::Create(
    const AppConfig& config, const ServicePlan& plan, RemoteServices& remotes,
    events::EventBus& bus, RelayOptionsFor relay_options, const Clock& clock,
    metrics::Registry& metrics) {
  auto m = std::make_unique<IdentityModuleImpl>(config, plan, remotes, bus,
                                                std::move(relay_options), clock, metrics);
  MH_TRY(m->Init());
  return std::unique_ptr<IdentityModule>(std::move(m));
}

Status MigrateIdentity(const AppConfig& config) {
  MH_TRY(OpenMigrated(config, "auth", &auth::MigrateAuthDatabase).status());
  MH_TRY(OpenMigrated(config, "org", &org::MigrateOrgDatabase).status());
  MH_TRY(OpenMigrated(config, "audit", &audit::MigrateAuditDatabase).status());
  return Status::Ok();
}

Result<crypto::KeyRing> LoadKeys(const AppConfig& c) {
  std::filesystem::path explicit_file = c.security.keys_file;
  auto ring =
      crypto::LoadKeyRing(crypto::KeyRingSourceFromEnvironment(explicit_file, DefaultKeyFile(c)));
  if (!ring.ok()) {
    return Status(ring.status().code(), "security keys: " + ring.status().message());
  }
  return ring;
}

Result<std::string> RotateMasterKey(const AppConfig& config) {
  if (std::getenv(crypto::kMasterKeyEnv)) {
    return FailedPrecondition(
        "master keys come from MILKYHOOP_MASTER_KEY: rotate by prepending a new key there");
  }
  std::filesystem::path file = config.security.keys_file.empty()
                                   ? DefaultKeyFile(config)
                                   : std::filesystem::path(config.security.keys_file);
  if (!std::filesystem::exists(file)) {
    MH_TRY(LoadKeys(config).status());  // generates the default file on first use
  }
  return crypto::RotateKeyFile(file);
}

}  // namespace milkyhoop::app
