#include "service_databases.hpp"

#include <filesystem>

#include "milkyhoop/core/log.hpp"

namespace milkyhoop::app {

Result<std::unique_ptr<sql::Database>> OpenServiceDatabase(const AppConfig& config,
                                                           std::string_view service) {
  if (config.database.driver == "postgres") {
    sql::PostgresOptions o;
    o.dsn = config.database.dsn;
    o.schema = config.database.schema_prefix + std::string(service);
    o.pool_size = static_cast<int>(config.database.pool_size);
    return sql::OpenPostgres(o);
  }
  std::error_code ec;
  std::filesystem::create_directories(config.server.data_dir, ec);
  if (ec) {
    return InvalidField("server.data_dir",
                        "cannot create " + config.server.data_dir + ": " + ec.message());
  }
  sql::SqliteOptions o;
  o.path =
      (std::filesystem::path(config.server.data_dir) / (std::string(service) + ".db")).string();
  o.busy_timeout_ms = static_cast<int>(config.database.busy_timeout_ms);
  return sql::OpenSqlite(o);
}

Result<std::unique_ptr<sql::Database>> OpenMigrated(const AppConfig& config,
                                                    std::string_view service,
                                                    Status (*migrate)(sql::Database&)) {
  MH_ASSIGN_OR_RETURN(auto db, OpenServiceDatabase(config, service));
  Status s = migrate(*db);
  if (!s.ok()) return Status(s.code(), "migrating " + std::string(service) + ": " + s.message());
  return db;
}

Result<std::unique_ptr<sql::Database>> OpenAndMigrate(const AppConfig& config,
                                                      std::string_view service,
                                                      std::span<const sql::MigrationFile> files) {
  MH_ASSIGN_OR_RETURN(auto db, OpenServiceDatabase(config, service));
  Status s = sql::Migrate(*db, service, files);
  if (!s.ok()) {
    return Status(s.code(), "migrating " + std::string(service) + ": " + s.message());
  }
  MH_LOG_INFO("database ready", {"service", service}, {"database", db->Describe()});
  return db;
}

}  // namespace milkyhoop::app
