#pragma once
// The customers' open chat WebSockets by conversation, so that a reply the owner writes reaches
// the customer as it is posted. A socket follows the conversation of its latest turn.
//
// This registry is the gateway process's own: with several gateway processes behind a load
// balancer, a reply posted through one reaches only the sockets held by that one.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "milkyhoop/http/websocket.hpp"

namespace milkyhoop::gateway::chatbot_routes {

class ConversationSockets {
 public:
  // Moves `channel` to `conversation_id` (from the conversation it followed before, if any).
  void Follow(const std::string& conversation_id,
              const std::shared_ptr<http::WebSocketChannel>& channel);
  // The socket has closed: it follows nothing any more.
  void Forget(const http::WebSocketChannel* channel);
  // Sends `frame` to every open socket of the conversation; how many took it.
  std::size_t Deliver(const std::string& conversation_id, const std::string& frame);
  std::size_t size() const;

 private:
  void RemoveLocked(const http::WebSocketChannel* channel);
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<http::WebSocketChannel>>> by_conv_;
  std::unordered_map<const http::WebSocketChannel*, std::string> conv_of_;
};

}  // namespace milkyhoop::gateway::chatbot_routes
