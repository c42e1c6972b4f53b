#pragma once
// A whole auth service for tests: its own database (a temporary SQLite file, or a fresh
// PostgreSQL schema when MILKYHOOP_TEST_PG_DSN is set), the real security service with a fresh
// key ring, a manual clock and cheap password hashing.
#include <filesystem>
#include <memory>
#include <string>

#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::auth::testing {

enum class Backend { kSqlite, kPostgres };

// MILKYHOOP_TEST_PG_DSN or "".
std::string TestPgDsn();

// Fast argon2id, keys reloaded on every use (so rotations show at once), defaults otherwise.
AuthConfig TestConfig();

class AuthHarness {
 public:
  // Throws std::runtime_error when the database cannot be set up.
  AuthHarness(Backend backend, const AuthConfig& config);
  ~AuthHarness();

  // A second service over the same database (another replica, or a restart).
  Result<std::unique_ptr<AuthService>> NewService(const AuthConfig& config);

  ManualClock clock;
  std::unique_ptr<sql::Database> db;
  std::unique_ptr<security::SecurityService> security;
  std::unique_ptr<AuthService> service;

 private:
  std::filesystem::path dir_;
  std::string schema_;
};

}  // namespace milkyhoop::auth::testing
