#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/events/event_bus.hpp"

namespace milkyhoop::events {
namespace {

class InProcessBus final : public EventBus {
 public:
  Status Publish(const Event& event) override {
    std::vector<const Subscription*> targets;
    {
      std::shared_lock lock(mu_);
      for (const auto& s : subs_) {
        if (std::find(s->types.begin(), s->types.end(), event.type) != s->types.end()) {
          targets.push_back(s.get());
        }
      }
    }
    Status first_error;
    for (const Subscription* s : targets) {
      Status st;
      try {
        st = s->handler(event);
      } catch (const std::exception& e) {
        st = Internal(std::string("consumer threw: ") + e.what());
      }
      if (!st.ok()) {
        MH_LOG_WARN("event consumer failed", {"consumer", s->consumer}, {"type", event.type},
                    {"event_id", event.id}, {"error", st.ToString()});
        if (first_error.ok()) first_error = Status(st.code(), s->consumer + ": " + st.message());
      }
    }
    return first_error;
  }

  Status Subscribe(std::string consumer, std::vector<std::string> types, Handler handler) override {
    if (consumer.empty() || types.empty() || !handler) {
      return InvalidArgument("subscription needs a consumer, types and a handler");
    }
    std::unique_lock lock(mu_);
    subs_.push_back(std::make_unique<Subscription>(
        Subscription{std::move(consumer), std::move(types), std::move(handler)}));
    return Status::Ok();
  }

 private:
  struct Subscription {
    std::string consumer;
    std::vector<std::string> types;
    Handler handler;
  };
  std::shared_mutex mu_;
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace

std::unique_ptr<EventBus> MakeInProcessBus() { return std::make_unique<InProcessBus>(); }

}  // namespace milkyhoop::events
