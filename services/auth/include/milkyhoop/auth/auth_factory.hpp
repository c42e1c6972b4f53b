#pragma once
// The implementation of AuthService, for the composition root (and tests): its schema and the
// service over a database.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "milkyhoop/auth/auth_config.hpp"
#include "milkyhoop/auth/auth_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::auth {

// Event types emitted through the outbox (tenant id empty: user-level events).
inline constexpr char kUserRegisteredEvent[] = "auth.user.registered";  // org.v1.UserRegistered
inline constexpr char kAuditRecordEvent[] = "audit.record";             // audit.v1.AuditRecord

// The embedded migrations (service name "auth"), for sql::Migrate / the `migrate` command.
std::span<const sql::MigrationFile> Migrations();
Status MigrateAuthDatabase(sql::Database& db);

struct AuthDependencies {
  sql::Database* db = nullptr;  // migrated; the auth service's own database
  // Seals signing keys, TOTP secrets and PKCE verifiers at rest (in-process or gRPC client).
  security::SecurityService* security = nullptr;
  const Clock* clock = nullptr;
  // Called after a commit that appended outbox events (wakes the relay); may be empty.
  std::function<void()> outbox_notify;
};

// Validates the config, loads or creates the signing key of config.jwt_algorithm (sealed in
// the database) and returns the service. Every dependency must outlive it. Thread-safe.
Result<std::unique_ptr<AuthService>> CreateAuthService(const AuthDependencies& deps,
                                                       const AuthConfig& config);

// The keys that verify this process's access tokens, symmetric (HS256) ones included, for a
// verifier in the same process. `service` must be the implementation made by
// CreateAuthService: a gRPC client cannot hand out a shared secret (kFailedPrecondition).
using VerificationKeySource = std::function<Result<std::vector<crypto::JwtKey>>()>;
Result<VerificationKeySource> LocalVerificationKeys(AuthService& service);

}  // namespace milkyhoop::auth
