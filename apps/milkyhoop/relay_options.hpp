#pragma once
// The options of each service's outbox relay. With Redis (redis.url), each outbox has a lock:
// of the processes that host one service, and so share its outbox, one relays at a time, and
// its events leave in commit order and once. When Redis cannot answer, each relays anyway.
// Consumers drop a redelivered event by its id, so no event is lost or applied twice; only the
// order across processes is not guaranteed then. Without Redis every process relays.
#include <functional>
#include <string>
#include <string_view>

#include "milkyhoop/events/outbox_relay.hpp"

namespace milkyhoop::redis {
class RedisClient;
}

namespace milkyhoop::app {

using RelayOptionsFor = std::function<events::RelayOptions(std::string_view service)>;

// `redis` may be null; it must outlive every relay. `install` tells installs sharing one Redis
// apart (database.schema_prefix).
RelayOptionsFor MakeRelayOptions(redis::RedisClient* redis, std::string install);

}  // namespace milkyhoop::app
