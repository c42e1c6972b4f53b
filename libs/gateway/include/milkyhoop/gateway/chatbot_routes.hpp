#pragma once
// HTTP routes of the customer chatbot (API.md "Chat — the customer side" and the bot and
// conversation routes of "Chat — the owner side"), over a ChatbotService.
//
// Public routes find the business by its slug (BusinessService::Locate) and need no
// credentials: a conversation is continued only with its conversation_token. A chat answers in
// JSON, or as Server-Sent Events (meta, delta..., done) with `stream: true` or
// `Accept: text/event-stream`; the handler returns the stream at once and the answer is written
// as the LLM produces it, from the LLM client's threads; a client that goes away cancels the
// upstream request. Owner routes are authorised through OrgService like every org route, and a
// conversation of another organisation is 404.
#include <cstddef>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/chatbot/chatbot_service.hpp"
#include "milkyhoop/gateway/rate_limiter.hpp"
#include "milkyhoop/http/router.hpp"
#include "milkyhoop/org/org_service.hpp"

namespace milkyhoop::gateway {

class SharedStreamSlots;
class SocketRelay;

struct ChatRouteOptions {
  // Longer messages answer 400 before anything else happens.
  std::size_t max_message_chars = 2'000;
  // Event streams open at once per business; beyond → 429 with Retry-After.
  std::size_t max_streams_per_business = 100;
  // Chat turns per business (public chat and the OpenAI-compatible endpoint together), on top
  // of the per-visitor limits: many visitors cannot spend one business's LLM budget in a burst.
  // No limiter → no per-business limit. The limiter must outlive the router.
  RateLimiter* limiter = nullptr;
  RateLimit per_business{600, std::chrono::minutes(1)};
  // Messages per client IP on the chat WebSocket: the public chat route's limit, under the same
  // key, so a socket is no way around it.
  RateLimit per_visitor{30, std::chrono::minutes(1)};
  // Gateway replicas: owner replies go through it to the replica holding the customer's socket.
  // Null → this process's sockets only. Must outlive the router.
  SocketRelay* relay = nullptr;
  // Gateway replicas: max_streams_per_business counts every replica's streams. Null → this
  // replica's only. Must outlive the router.
  SharedStreamSlots* shared_slots = nullptr;
};

// All three must outlive the router.
Status RegisterChatbotRoutes(http::Router& router, org::OrgService& orgs,
                             business::BusinessService& businesses,
                             chatbot::ChatbotService& chatbot, ChatRouteOptions options = {});

}  // namespace milkyhoop::gateway
