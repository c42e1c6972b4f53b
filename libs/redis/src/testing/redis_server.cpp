#include "milkyhoop/redis/testing/redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "milkyhoop/redis/redis_client.hpp"

extern char** environ;

namespace milkyhoop::redis::testing {
namespace {

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace

RedisServer::RedisServer() : port_(FreePort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

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
  RedisOptions options;
  options.port = port_;
  options.reconnect_backoff = std::chrono::milliseconds(0);
  auto client = MakeRedisClient(options);
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
