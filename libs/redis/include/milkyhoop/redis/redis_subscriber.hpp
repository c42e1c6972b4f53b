#pragma once
// A Redis pub/sub subscription on a connection of its own, read by a thread of its own: every
// message PUBLISHed on the channel, by any process, reaches `on_message`. When Redis goes away
// the thread reconnects (with backoff) and subscribes again; messages published meanwhile are
// missed (pub/sub keeps nothing), so it carries only what is also stored elsewhere.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::redis {

class RedisSubscriber {
 public:
  virtual ~RedisSubscriber() = default;  // stops: no on_message runs after it returns
  // Subscribed (the first subscription confirmed) within connect_timeout; later losses heal.
  virtual bool subscribed() const = 0;
};

// Starts the subscription; `on_message` runs on the subscriber's thread, one message at a time.
std::unique_ptr<RedisSubscriber> SubscribeRedis(RedisOptions options, std::string channel,
                                                std::function<void(std::string_view)> on_message);

}  // namespace milkyhoop::redis
