#pragma once
// What the chatbot route files share: their dependencies, the per-business stream slots, JSON
// forms of the service's messages, and their schemas.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include <nlohmann/json.hpp>

#include "conversation_sockets.hpp"
#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/gateway/chatbot_routes.hpp"
#include "milkyhoop/gateway/shared_stream_slots.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway::chatbot_routes {

// Counts open event streams per business; a slot is given back when its Slot is destroyed.
// With `shared` (several gateway replicas), a slot also holds a lease there, so the cap holds
// across replicas; when that store cannot answer, this replica's own count decides.
class StreamSlots : public std::enable_shared_from_this<StreamSlots> {
 public:
  StreamSlots(std::size_t per_business, SharedStreamSlots* shared)
      : per_business_(per_business), shared_(shared) {}
  class Slot {
   public:
    Slot(std::shared_ptr<StreamSlots> owner, std::string business_id, std::string lease)
        : owner_(std::move(owner)),
          business_id_(std::move(business_id)),
          lease_(std::move(lease)) {}
    ~Slot() { owner_->Release(business_id_, lease_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<StreamSlots> owner_;
    std::string business_id_;
    std::string lease_;  // empty: no shared lease
  };
  // nullptr when the business has no slot left.
  std::shared_ptr<Slot> Acquire(const std::string& business_id);
  std::size_t open(const std::string& business_id);

 private:
  void Release(const std::string& business_id, const std::string& lease);
  void ReleaseLocal(const std::string& business_id);
  const std::size_t per_business_;
  SharedStreamSlots* const shared_;
  std::mutex mu_;
  std::unordered_map<std::string, std::size_t> open_;
};

struct Deps {
  org::OrgService& orgs;
  business::BusinessService& businesses;
  chatbot::ChatbotService& chatbot;
  ChatRouteOptions options;
  std::shared_ptr<StreamSlots> slots;
  // The customers' open WebSockets, by conversation: an owner's reply is pushed to them.
  std::shared_ptr<ConversationSockets> sockets;
};

// A chat turn's body (and a WebSocket message) at most.
inline constexpr std::size_t kChatBodyBytes = 16u << 10;

struct PublicBusiness {
  std::string org_id;
  std::string business_id;
};
// The business of the slug, or 404 (also for a slug too long to be one).
std::variant<PublicBusiness, http::Response> FindBySlug(const Deps& deps, const std::string& slug);
// A public chat route: no credentials, the public chat rate class, blocking execution.
http::Route PublicRoute(std::string method, std::string path, std::string operation_id,
                        std::string summary);

// 429 with Retry-After when the business is over its chat rate (ChatRouteOptions::per_business).
std::optional<http::Response> CheckBusinessRate(const Deps& deps, const std::string& business_id);

nlohmann::json CitationsJson(const google::protobuf::RepeatedPtrField<chatbot::v1::Citation>& c);
nlohmann::json ChatResponseJson(const chatbot::v1::ChatResponse& r);
// The SSE events' data.
nlohmann::json MetaJson(const chatbot::v1::ChatResponse& r);
nlohmann::json DoneJson(const chatbot::v1::ChatResponse& r);
nlohmann::json ConversationJson(const chatbot::v1::Conversation& c);
nlohmann::json MessageJson(const chatbot::v1::Message& m);
nlohmann::json BotJson(const chatbot::v1::BotSettings& b);

extern const char kCitationsSchema[];
extern const char kChatResponseSchema[];
extern const char kConversationSchema[];
extern const char kMessageSchema[];
extern const char kBotSchema[];

Status RegisterPublicChatRoutes(http::Router& router, const Deps& deps);
// GET /v1/public/businesses/{slug}/ws (chatbot_routes_websocket.cpp).
Status RegisterChatWebSocketRoute(http::Router& router, const Deps& deps);
// The frame an owner's reply reaches the customer's socket as.
std::string AgentMessageFrame(const chatbot::v1::Message& m);
Status RegisterBotOwnerRoutes(http::Router& router, const Deps& deps);
Status RegisterOpenAiRoutes(http::Router& router, const Deps& deps);

}  // namespace milkyhoop::gateway::chatbot_routes
