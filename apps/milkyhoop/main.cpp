// milkyhoop: the one binary. `serve` runs the services, `migrate` applies schema migrations,
// `version` prints the version.
#include <pthread.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app.hpp"
#include "app_config.hpp"
#include "identity_module.hpp"
#include "milkyhoop/core/log.hpp"
#include "rewrap_secrets.hpp"

namespace {

using milkyhoop::Status;
using milkyhoop::app::AppConfig;

struct Flags {
  std::string config_file;
  std::string listen;
  std::string data_dir;
  std::string log_format;
  std::string log_level;
  std::string services;
};

void AddCommonFlags(CLI::App* cmd, Flags& f) {
  cmd->add_option("-c,--config", f.config_file, "TOML configuration file (or MILKYHOOP_CONFIG)");
  cmd->add_option("--data-dir", f.data_dir, "Directory for the SQLite files (server.data_dir)");
  cmd->add_option("--log-format", f.log_format, "json or text (log.format)");
  cmd->add_option("--log-level", f.log_level, "debug, info, warn, error, off (log.level)");
}

// Defaults, then the file, then the environment, then flags.
Status LoadConfig(const Flags& f, AppConfig& config) {
  milkyhoop::config::Loader loader;
  milkyhoop::app::DeclareKeys(loader, config);
  std::string file = f.config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("MILKYHOOP_CONFIG")) file = env;
  }
  if (!file.empty()) MH_TRY(loader.LoadTomlFile(file));
  MH_TRY(loader.LoadEnv([](const char* name) { return std::getenv(name); }));
  if (!f.listen.empty()) MH_TRY(loader.SetFromText("server.listen", f.listen, "--listen"));
  if (!f.data_dir.empty()) MH_TRY(loader.SetFromText("server.data_dir", f.data_dir, "--data-dir"));
  if (!f.log_format.empty()) MH_TRY(loader.SetFromText("log.format", f.log_format, "--log-format"));
  if (!f.log_level.empty()) MH_TRY(loader.SetFromText("log.level", f.log_level, "--log-level"));
  if (!f.services.empty()) MH_TRY(loader.SetFromText("server.services", f.services, "--services"));
  MH_TRY(milkyhoop::app::Finish(config));
  milkyhoop::log::Options lo;
  milkyhoop::log::ParseLevel(config.log.level, &lo.level);
  milkyhoop::log::ParseFormat(config.log.format, &lo.format);
  milkyhoop::log::Init(lo);
  return Status::Ok();
}

int Fail(const Status& s) {
  std::fprintf(stderr, "milkyhoop: %s\n", s.message().c_str());
  return 2;
}

int Serve(const Flags& flags) {
  AppConfig config;
  if (Status s = LoadConfig(flags, config); !s.ok()) return Fail(s);
  // Block the stop signals in every thread; this one waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto app = milkyhoop::app::App::Start(config);
  if (!app.ok()) {
    MH_LOG_ERROR("start failed", {"error", app.status().message()});
    return Fail(app.status());
  }
  int sig = 0;
  sigwait(&stop, &sig);
  MH_LOG_INFO("signal received", {"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"});
  (*app)->Shutdown();
  return 0;
}

int Migrate(const Flags& flags) {
  AppConfig config;
  if (Status s = LoadConfig(flags, config); !s.ok()) return Fail(s);
  Status s = milkyhoop::app::MigrateAll(config);
  if (!s.ok()) return Fail(s);
  MH_LOG_INFO("migrations applied");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"MilkyHoop: AI customer-service chatbots for small businesses"};
  cli.require_subcommand(1);
  Flags flags;

  CLI::App* serve = cli.add_subcommand("serve", "Run the services (all-in-one by default)");
  AddCommonFlags(serve, flags);
  serve->add_option("--listen", flags.listen,
                    "HTTP address HOST:PORT; port 0 picks one (server.listen)");
  serve->add_option("--services", flags.services,
                    "Comma-separated services hosted by this process (server.services)");

  CLI::App* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations and exit");
  AddCommonFlags(migrate, flags);

  CLI::App* keys = cli.add_subcommand("keys", "Manage the master keys that seal stored secrets");
  keys->require_subcommand(1);
  CLI::App* rotate = keys->add_subcommand(
      "rotate", "Make a new active master key; older keys stay to open existing secrets");
  AddCommonFlags(rotate, flags);
  CLI::App* rewrap = keys->add_subcommand(
      "rewrap",
      "Re-wrap every stored secret under the active master key (run after rotate; then the "
      "older keys may be removed)");
  AddCommonFlags(rewrap, flags);

  CLI::App* version = cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);
  if (serve->parsed()) return Serve(flags);
  if (migrate->parsed()) return Migrate(flags);
  if (rotate->parsed()) {
    AppConfig config;
    if (Status s = LoadConfig(flags, config); !s.ok()) return Fail(s);
    auto id = milkyhoop::app::RotateMasterKey(config);
    if (!id.ok()) return Fail(id.status());
    std::cout << "new active master key: " << *id << "\n";
    return 0;
  }
  if (rewrap->parsed()) {
    AppConfig config;
    if (Status s = LoadConfig(flags, config); !s.ok()) return Fail(s);
    if (Status s = milkyhoop::app::RewrapSecrets(config, std::cout); !s.ok()) return Fail(s);
    return 0;
  }
  if (version->parsed()) {
    std::cout << "milkyhoop " << milkyhoop::app::Version() << "\n";
    return 0;
  }
  return 1;
}
