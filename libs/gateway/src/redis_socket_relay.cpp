#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/gateway/socket_relay.hpp"
#include "milkyhoop/redis/redis_subscriber.hpp"

namespace milkyhoop::gateway {
namespace {

// A message is "<conversation id>\n<frame>": ids never hold a newline.
class RedisSocketRelay final : public SocketRelay {
 public:
  RedisSocketRelay(redis::RedisClient& publisher, redis::RedisOptions subscriber,
                   std::string channel, metrics::Registry* metrics)
      : publisher_(publisher), options_(std::move(subscriber)), channel_(std::move(channel)) {
    if (metrics) {
      failures_ = metrics->GetCounter("milkyhoop_socket_relay_failures_total",
                                      "Owner replies not relayed to the other gateway replicas "
                                      "(Redis unavailable): delivered to this replica's sockets "
                                      "only");
    }
  }

  void OnFrame(Deliver deliver) override {
    subscription_ = redis::SubscribeRedis(
        options_, channel_, [deliver = std::move(deliver)](std::string_view message) {
          const std::size_t newline = message.find('\n');
          if (newline == std::string_view::npos) return;  // not one of ours
          deliver(message.substr(0, newline), message.substr(newline + 1));
        });
  }

  Status Publish(std::string_view conversation_id, std::string_view frame) override {
    if (conversation_id.find('\n') != std::string_view::npos) {
      return InvalidArgument("conversation id with a newline");
    }
    std::string message;
    message.reserve(conversation_id.size() + 1 + frame.size());
    message.append(conversation_id).append("\n").append(frame);
    Status s = publisher_.Command({"PUBLISH", channel_, message}).status();
    if (!s.ok() && failures_) failures_->Inc();
    return s;
  }

 private:
  redis::RedisClient& publisher_;
  const redis::RedisOptions options_;
  const std::string channel_;
  metrics::Counter* failures_ = nullptr;
  std::unique_ptr<redis::RedisSubscriber> subscription_;  // last: stops before the rest goes
};

}  // namespace

std::unique_ptr<SocketRelay> MakeRedisSocketRelay(redis::RedisClient& publisher,
                                                  redis::RedisOptions subscriber,
                                                  std::string channel, metrics::Registry* metrics) {
  return std::make_unique<RedisSocketRelay>(publisher, std::move(subscriber), std::move(channel),
                                            metrics);
}

}  // namespace milkyhoop::gateway
