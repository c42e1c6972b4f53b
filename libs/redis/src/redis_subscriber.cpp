#include "milkyhoop/redis/redis_subscriber.hpp"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hiredis_calls.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::redis {
namespace {

using internal::RunCommand;
using internal::ToTimeval;

class Subscriber final : public RedisSubscriber {
 public:
  Subscriber(RedisOptions options, std::string channel,
             std::function<void(std::string_view)> on_message)
      : options_(std::move(options)),
        channel_(std::move(channel)),
        on_message_(std::move(on_message)),
        thread_([this] { Run(); }) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.connect_timeout * 2, [this] { return subscribed_ || stop_; });
  }

  ~Subscriber() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      // Wakes the blocking read: the thread sees stop_ and leaves.
      if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
    }
    cv_.notify_all();
    thread_.join();
  }

  bool subscribed() const override {
    std::lock_guard lock(mu_);
    return subscribed_;
  }

 private:
  void Run() {
    while (!Stopping()) {
      redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                ToTimeval(options_.connect_timeout));
      if (c && !c->err && Subscribe(*c)) {
        Listen(*c);
      } else {
        MH_LOG_WARN("redis subscribe failed", {"channel", channel_},
                    {"error", c ? c->errstr : "out of memory"});
      }
      {
        std::lock_guard lock(mu_);
        fd_ = -1;
        subscribed_ = false;
      }
      if (c) redisFree(c);
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.reconnect_backoff, [this] { return stop_; });
    }
  }

  bool Stopping() {
    std::lock_guard lock(mu_);
    return stop_;
  }

  bool Subscribe(redisContext& c) {
    // Setup commands are bounded; the subscription then blocks in reads until a message.
    redisSetTimeout(&c, ToTimeval(options_.command_timeout));
    if (!options_.password.empty() && !RunCommand(c, {"AUTH", options_.password}).ok())
      return false;
    if (!RunCommand(c, {"SUBSCRIBE", channel_}).ok()) return false;
    redisSetTimeout(&c, timeval{0, 0});
    redisEnableKeepAlive(&c);  // a Redis that vanished without a FIN is noticed
    std::lock_guard lock(mu_);
    if (stop_) return false;
    fd_ = c.fd;
    subscribed_ = true;
    cv_.notify_all();
    return true;
  }

  void Listen(redisContext& c) {
    while (true) {
      void* raw = nullptr;
      if (redisGetReply(&c, &raw) != REDIS_OK || !raw) {
        if (!Stopping()) {
          MH_LOG_WARN("redis subscription lost; reconnecting", {"channel", channel_},
                      {"error", c.errstr});
        }
        return;
      }
      auto* reply = static_cast<redisReply*>(raw);
      // ["message", channel, payload]; subscription confirmations are arrays too.
      if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
          reply->element[0]->type == REDIS_REPLY_STRING &&
          std::string_view(reply->element[0]->str, reply->element[0]->len) == "message" &&
          reply->element[2]->type == REDIS_REPLY_STRING) {
        on_message_(std::string_view(reply->element[2]->str, reply->element[2]->len));
      }
      freeReplyObject(reply);
    }
  }

  const RedisOptions options_;
  const std::string channel_;
  const std::function<void(std::string_view)> on_message_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool subscribed_ = false;
  int fd_ = -1;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace

std::unique_ptr<RedisSubscriber> SubscribeRedis(RedisOptions options, std::string channel,
                                                std::function<void(std::string_view)> on_message) {
  return std::make_unique<Subscriber>(std::move(options), std::move(channel),
                                      std::move(on_message));
}

}  // namespace milkyhoop::redis
