#pragma once
// The identity and tenancy services (security, auth, organisations, audit) of one process:
// those it hosts with their databases, outbox relays and event consumers; gRPC clients of those
// it calls and does not host; and, in the gateway, the authenticator and their HTTP routes.
// Built and torn down by the composition root.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app_config.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/health/health_service.hpp"
#include "milkyhoop/http/router.hpp"
#include "relay_options.hpp"
#include "remote_services.hpp"
#include "service_plan.hpp"

namespace milkyhoop::metrics {
class Registry;
}
namespace milkyhoop::gateway {
class Authenticator;
}
namespace milkyhoop::auth {
class AuthService;
}
namespace milkyhoop::audit {
class AuditService;
}
namespace milkyhoop::org {
class OrgService;
}
namespace milkyhoop::security {
class SecurityService;
}

namespace milkyhoop::app {

class IdentityModule {
 public:
  virtual ~IdentityModule() = default;
  // `plan`, `remotes` and the rest must outlive the module.
  static Result<std::unique_ptr<IdentityModule>> Create(
      const AppConfig& config, const ServicePlan& plan, RemoteServices& remotes,
      events::EventBus& bus, RelayOptionsFor relay_options, const Clock& clock,
      metrics::Registry& metrics);
  // Gateway only.
  virtual Status RegisterRoutes(http::Router& router) = 0;
  virtual gateway::Authenticator& authenticator() = 0;
  // The implementation when hosted, a gRPC client when called and not hosted, else null.
  virtual auth::AuthService* auth() = 0;
  virtual org::OrgService* orgs() = 0;
  virtual audit::AuditService* audit() = 0;
  virtual security::SecurityService* security() = 0;
  // A 32-byte key for `purpose` (e.g. signing conversation tokens), derived from the install's
  // index key, so it is stable across restarts and the same on every process of the install.
  virtual std::string DeriveKey(std::string_view purpose) const = 0;
  virtual std::vector<health::HealthProbe> Probes() = 0;
  // Starts / stops the outbox relays (stop flushes what is committed).
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

// Applies the migrations of every identity service's database.
Status MigrateIdentity(const AppConfig& config);

// `milkyhoop keys rotate`: a new active master key in the key file; old keys stay so existing
// ciphertexts still open. Returns the new key's id.
Result<std::string> RotateMasterKey(const AppConfig& config);

// The install's master keys (MILKYHOOP_MASTER_KEY, security.keys_file, or the generated file
// under the data directory).
Result<crypto::KeyRing> LoadKeys(const AppConfig& config);

}  // namespace milkyhoop::app
