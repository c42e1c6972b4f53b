#pragma once
// Opens the database a service owns: its own SQLite file under the data directory, or its own
// schema in PostgreSQL. Services never share tables.
#include <memory>
#include <span>
#include <string_view>

#include "app_config.hpp"
#include "milkyhoop/sql/database.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::app {

Result<std::unique_ptr<sql::Database>> OpenServiceDatabase(const AppConfig& config,
                                                           std::string_view service);

// Opens and migrates with the service's own migration function; errors say which service.
Result<std::unique_ptr<sql::Database>> OpenMigrated(const AppConfig& config,
                                                    std::string_view service,
                                                    Status (*migrate)(sql::Database&));

// Opens and migrates.
Result<std::unique_ptr<sql::Database>> OpenAndMigrate(const AppConfig& config,
                                                      std::string_view service,
                                                      std::span<const sql::MigrationFile> files);

}  // namespace milkyhoop::app
