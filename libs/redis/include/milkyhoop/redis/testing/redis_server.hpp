#pragma once
// A real redis-server (the Debian package scripts/setup.sh installs) run by a test on a free
// loopback port, with no persistence; stoppable and restartable on the same port to test what
// happens while Redis is down.
#include <memory>
#include <string>

#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::redis::testing {

class RedisServer {
 public:
  RedisServer();  // starts it; ok() tells whether it answers PING
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  bool ok() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // A client of this server (fast reconnect attempts, so a restart is noticed quickly).
  std::unique_ptr<RedisClient> Connect() const;

  void Stop();   // SIGTERM, waits for it to exit
  bool Start();  // on the same port; true once it answers PING

 private:
  int port_ = 0;
  int pid_ = 0;
  std::string error_;
};

}  // namespace milkyhoop::redis::testing
