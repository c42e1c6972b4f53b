// MakeRedisClient and ParseRedisUrl (redis_client.hpp) over hiredis.
#include "milkyhoop/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <charconv>
#include <condition_variable>
#include <mutex>

#include "hiredis_calls.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::redis {
namespace {

using internal::RunCommand;
using internal::ToTimeval;

using Clock = std::chrono::steady_clock;

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

std::string Sha1Hex(const std::string& text) {
  // Redis names scripts by their SHA-1; nothing here relies on SHA-1 for security.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    const unsigned char b = digest[i];
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

class PooledClient final : public RedisClient {
 public:
  explicit PooledClient(RedisOptions options) : options_(std::move(options)) {}

  Result<Reply> Command(const std::vector<std::string>& args) override {
    MH_ASSIGN_OR_RETURN(Context c, Acquire());
    Result<Reply> reply = RunCommand(*c, args);
    // A connection that failed is dropped (hiredis cannot reuse it); one that answered, even
    // with an error reply, goes back to the pool.
    if (reply.ok() || reply.status().code() == StatusCode::kFailedPrecondition) {
      Release(std::move(c));
    } else {
      Release(nullptr);
      MarkFailure();
    }
    return reply;
  }

  Result<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                     const std::vector<std::string>& args) override {
    std::vector<std::string> argv = {"EVALSHA", script.sha1, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    Result<Reply> reply = Command(argv);
    if (!reply.ok() && reply.status().message().rfind("NOSCRIPT", 0) == 0) {
      // First use, or Redis restarted and forgot it: EVAL loads and runs it.
      argv[0] = "EVAL";
      argv[1] = script.text;
      return Command(argv);
    }
    return reply;
  }

 private:
  Result<Context> Acquire() {
    const auto deadline = Clock::now() + options_.command_timeout;
    std::unique_lock lock(mu_);
    while (true) {
      if (!idle_.empty()) {
        Context c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      if (open_ < options_.max_connections) {
        if (Clock::now() < retry_after_) return Unavailable("redis unavailable (recent failure)");
        ++open_;
        lock.unlock();
        Result<Context> c = Connect();
        if (!c.ok()) {
          lock.lock();
          --open_;
          retry_after_ = Clock::now() + options_.reconnect_backoff;
          cv_.notify_one();
        }
        return c;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
        return Unavailable("redis: no free connection in time");
      }
    }
  }

  void Release(Context c) {
    std::lock_guard lock(mu_);
    if (c) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

  void MarkFailure() {
    std::lock_guard lock(mu_);
    retry_after_ = Clock::now() + options_.reconnect_backoff;
    // After a failure the idle ones are likely dead too; those in use report for themselves.
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  }

  Result<Context> Connect() {
    Context c(redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                      ToTimeval(options_.connect_timeout)));
    if (!c || c->err) {
      const std::string why = c ? c->errstr : "out of memory";
      MH_LOG_WARN("redis connect failed", {"host", options_.host}, {"port", options_.port},
                  {"error", why});
      return Unavailable("redis " + options_.host + ":" + std::to_string(options_.port) + ": " +
                         why);
    }
    redisSetTimeout(c.get(), ToTimeval(options_.command_timeout));
    if (!options_.password.empty()) MH_TRY(RunCommand(*c, {"AUTH", options_.password}).status());
    if (options_.database != 0) {
      MH_TRY(RunCommand(*c, {"SELECT", std::to_string(options_.database)}).status());
    }
    return c;
  }

  const RedisOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Context> idle_;
  int open_ = 0;
  Clock::time_point retry_after_{};
};

Result<int> ParseInt(std::string_view field, std::string_view text, int low, int high) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return InvalidField(std::string(field), "has an invalid number '" + std::string(text) + "'");
  }
  return value;
}

}  // namespace

Result<RedisOptions> ParseRedisUrl(std::string_view field, std::string_view url) {
  RedisOptions o;
  std::string_view rest = url;
  if (rest.rfind("redis://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (rest.find("://") != std::string_view::npos) {
    return InvalidField(std::string(field),
                        "must be redis://[:password@]host[:port][/db] (no TLS here)");
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    if (const auto colon = auth.find(':'); colon != std::string_view::npos) {
      auth = auth.substr(colon + 1);
    }
    o.password = std::string(auth);
    rest = rest.substr(at + 1);
  }
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash + 1 < rest.size()) {
      MH_ASSIGN_OR_RETURN(o.database, ParseInt(field, rest.substr(slash + 1), 0, 10'000));
    }
    rest = rest.substr(0, slash);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    MH_ASSIGN_OR_RETURN(o.port, ParseInt(field, rest.substr(colon + 1), 1, 65'535));
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return InvalidField(std::string(field), "names no host");
  o.host = std::string(rest);
  return o;
}

Script::Script(std::string lua) : text(std::move(lua)), sha1(Sha1Hex(text)) {}

std::unique_ptr<RedisClient> MakeRedisClient(RedisOptions options) {
  return std::make_unique<PooledClient>(std::move(options));
}

}  // namespace milkyhoop::redis
