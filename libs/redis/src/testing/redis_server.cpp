#include "milkyhoop/redis/testing/redis_server.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>
#include <vector>

#include "milkyhoop/core/testing/test_env.hpp"
#include "milkyhoop/redis/redis_client.hpp"

extern char** environ;

namespace milkyhoop::redis::testing {
RedisServer::RedisServer() : port_(milkyhoop::testing::UnusedLoopbackPort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

std::unique_ptr<RedisClient> RedisServer::Connect() const {
  RedisOptions options;
  options.port = port_;
  options.reconnect_backoff = std::chrono::milliseconds(100);
  return MakeRedisClient(options);
}

bool RedisServer::Start() {
  if (pid_ > 0) return true;
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {
      "redis-server", "--port", port,         "--bind",  "127.0.0.1", "--save",   "",
      "--appendonly", "no",     "--loglevel", "warning", "--logfile", "/dev/null"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) {
    error_ = "cannot run redis-server (scripts/setup.sh installs the Debian package)";
    return false;
  }
  pid_ = pid;
  auto client = Connect();
  for (int i = 0; i < 100; ++i) {
    if (client->Command({"PING"}).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  error_ = "redis-server did not answer PING on port " + port;
  Stop();
  return false;
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
}

}  // namespace milkyhoop::redis::testing
