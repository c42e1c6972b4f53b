#include "conversation_sockets.hpp"

#include <algorithm>

namespace milkyhoop::gateway::chatbot_routes {

void ConversationSockets::Follow(const std::string& conversation_id,
                                 const std::shared_ptr<http::WebSocketChannel>& channel) {
  std::lock_guard lock(mu_);
  auto it = conv_of_.find(channel.get());
  if (it != conv_of_.end() && it->second == conversation_id) return;
  RemoveLocked(channel.get());
  by_conv_[conversation_id].push_back(channel);
  conv_of_[channel.get()] = conversation_id;
}

void ConversationSockets::Forget(const http::WebSocketChannel* channel) {
  std::lock_guard lock(mu_);
  RemoveLocked(channel);
}

void ConversationSockets::RemoveLocked(const http::WebSocketChannel* channel) {
  auto it = conv_of_.find(channel);
  if (it == conv_of_.end()) return;
  auto conv = by_conv_.find(it->second);
  if (conv != by_conv_.end()) {
    auto& list = conv->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [channel](const std::weak_ptr<http::WebSocketChannel>& w) {
                                auto c = w.lock();
                                return !c || c.get() == channel;
                              }),
               list.end());
    if (list.empty()) by_conv_.erase(conv);
  }
  conv_of_.erase(it);
}

std::size_t ConversationSockets::Deliver(const std::string& conversation_id,
                                         const std::string& frame) {
  std::vector<std::shared_ptr<http::WebSocketChannel>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = by_conv_.find(conversation_id);
    if (it == by_conv_.end()) return 0;
    for (const auto& w : it->second) {
      if (auto c = w.lock()) targets.push_back(std::move(c));
    }
  }
  // Outside the lock: a Send that fails closes the socket, whose close handler calls Forget.
  std::size_t sent = 0;
  for (const auto& c : targets) sent += c->Send(frame) ? 1 : 0;
  return sent;
}

std::size_t ConversationSockets::size() const {
  std::lock_guard lock(mu_);
  return conv_of_.size();
}

}  // namespace milkyhoop::gateway::chatbot_routes
