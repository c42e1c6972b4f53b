#pragma once
// The composition root: builds every component from the configuration, in order, and tears
// them down in reverse. Which implementation sits behind each service interface (in-process or
// a gRPC client) is decided here and nowhere else.
#include <cstdint>
#include <memory>

#include "app_config.hpp"

namespace milkyhoop::app {

class App {
 public:
  virtual ~App() = default;
  static Result<std::unique_ptr<App>> Start(const AppConfig& config);
  virtual std::uint16_t port() const = 0;
  // Stops accepting, drains in-flight requests, then closes everything in reverse order.
  virtual void Shutdown() = 0;
};

// Runs every service's migrations and exits (the `migrate` command).
Status MigrateAll(const AppConfig& config);

std::string_view Version();

}  // namespace milkyhoop::app
