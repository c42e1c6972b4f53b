#include "testing/auth_fixture.hpp"

#include <cstdlib>
#include <stdexcept>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/key_ring.hpp"

namespace milkyhoop::auth::testing {

std::string TestPgDsn() {
  const char* dsn = std::getenv("MILKYHOOP_TEST_PG_DSN");
  return dsn ? dsn : "";
}

AuthConfig TestConfig() {
  AuthConfig c;
  c.password_hashing.iterations = 1;
  c.password_hashing.memory_bytes = 64 * 1024;
  c.key_reload_interval = std::chrono::seconds(0);
  return c;
}

AuthHarness::AuthHarness(Backend backend, const AuthConfig& config) {
  if (backend == Backend::kSqlite) {
    dir_ = std::filesystem::temp_directory_path() / ("mh_auth_test_" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    auto opened = sql::OpenSqlite(
        {.path = (dir_ / "auth.db").string(), .busy_timeout_ms = 5000, .readers = 4});
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    db = std::move(opened).value();
  } else {
    schema_ = "mh_auth_test_" + RandomHex(6);
    sql::PostgresOptions options;
    options.dsn = TestPgDsn();
    options.schema = schema_;
    options.pool_size = 4;
    auto opened = sql::OpenPostgres(options);
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    db = std::move(opened).value();
  }
  Status migrated = MigrateAuthDatabase(*db);
  if (!migrated.ok()) throw std::runtime_error(migrated.ToString());
  security = security::MakeSecurityService(crypto::KeyRing::Generate());
  auto created = NewService(config);
  if (!created.ok()) throw std::runtime_error(created.status().ToString());
  service = std::move(created).value();
}

AuthHarness::~AuthHarness() {
  service.reset();
  if (!schema_.empty() && db) {
    (void)db->Exec("DROP SCHEMA IF EXISTS \"" + schema_ + "\" CASCADE");
  }
  db.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Result<std::unique_ptr<AuthService>> AuthHarness::NewService(const AuthConfig& config) {
  AuthDependencies deps;
  deps.db = db.get();
  deps.security = security.get();
  deps.clock = &clock;
  return CreateAuthService(deps, config);
}

}  // namespace milkyhoop::auth::testing
