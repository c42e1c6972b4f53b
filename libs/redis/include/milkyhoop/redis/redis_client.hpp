#pragma once
// A small blocking Redis client (hiredis) for the gateway's shared state: a pool of connections,
// each command bounded by a timeout, reconnecting after Redis restarts. Every failure is a
// Status (kUnavailable) the caller decides about: Redis down never crashes anything.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::redis {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH when set; never logged
  int database = 0;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{200};
  int max_connections = 16;  // beyond this, callers wait for a free one (up to command_timeout)
  // After a failure, new connections are not tried for this long (Redis down is not hammered).
  std::chrono::milliseconds reconnect_backoff{500};
};

// Parses "redis://[:password@]host[:port][/db]" (or "host:port"); the error names `field`.
Result<RedisOptions> ParseRedisUrl(std::string_view field, std::string_view url);

// A reply: nil, an integer, a string (bulk or status), or an array of replies.
struct Reply {
  enum class Kind { kNil, kInteger, kString, kArray } kind = Kind::kNil;
  std::int64_t integer = 0;
  std::string string;
  std::vector<Reply> elements;
};

// A Lua script and the SHA-1 Redis names it by, computed once (not on every call).
struct Script {
  explicit Script(std::string lua);
  std::string text;
  std::string sha1;
};

class RedisClient {
 public:
  virtual ~RedisClient() = default;
  // Runs one command (arguments binary-safe). A Redis error reply is kFailedPrecondition with
  // its text; a connection problem or timeout is kUnavailable.
  virtual Result<Reply> Command(const std::vector<std::string>& args) = 0;
  // EVALSHA of `script` (loaded on first use and again after a Redis restart), with KEYS and ARGV.
  virtual Result<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args) = 0;
};

std::unique_ptr<RedisClient> MakeRedisClient(RedisOptions options);

}  // namespace milkyhoop::redis
