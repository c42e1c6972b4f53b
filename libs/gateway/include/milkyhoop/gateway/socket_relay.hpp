#pragma once
// An owner's reply reaches the customer's open WebSocket on whichever gateway replica holds it.
// Each replica knows only its own sockets, so the replica that stores the reply publishes it to
// every replica (itself included), and each one delivers it to the sockets it holds. The reply
// is stored before it is published: a customer whose socket was on a replica that missed it
// (Redis restarting) still finds it in the conversation.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::metrics {
class Registry;
}

namespace milkyhoop::gateway {

class SocketRelay {
 public:
  using Deliver = std::function<void(std::string_view conversation_id, std::string_view frame)>;
  virtual ~SocketRelay() = default;  // stops delivering
  // Where frames published by any replica arrive here; set once, before the first Publish.
  virtual void OnFrame(Deliver deliver) = 0;
  // To every replica. An error means it was not sent: deliver to this replica's sockets instead.
  virtual Status Publish(std::string_view conversation_id, std::string_view frame) = 0;
};

// Over one Redis pub/sub channel: PUBLISH through `publisher` (shared, must outlive the relay), a
// subscription on a connection of its own made from `subscriber`.
std::unique_ptr<SocketRelay> MakeRedisSocketRelay(redis::RedisClient& publisher,
                                                  redis::RedisOptions subscriber,
                                                  std::string channel,
                                                  metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::gateway
