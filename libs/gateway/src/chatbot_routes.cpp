// RegisterChatbotRoutes, the stream slots and the JSON forms shared by the chatbot route files.
#include <algorithm>

#include "chatbot_routes_support.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/gateway/socket_relay.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {
namespace chatbot_routes {

using nlohmann::json;

std::shared_ptr<StreamSlots::Slot> StreamSlots::Acquire(const std::string& business_id) {
  {
    std::lock_guard lock(mu_);
    std::size_t& n = open_[business_id];
    if (n >= per_business_) return nullptr;
    ++n;
  }
  std::string lease;
  if (shared_) {
    auto shared = shared_->Acquire(business_id, per_business_);
    if (shared.ok() && !*shared) {
      ReleaseLocal(business_id);  // every replica's streams together are at the cap
      return nullptr;
    }
    if (shared.ok()) lease = std::move(**shared);
  }
  return std::make_shared<Slot>(shared_from_this(), business_id, std::move(lease));
}

std::size_t StreamSlots::open(const std::string& business_id) {
  std::lock_guard lock(mu_);
  auto it = open_.find(business_id);
  return it == open_.end() ? 0 : it->second;
}

void StreamSlots::Release(const std::string& business_id, const std::string& lease) {
  if (!lease.empty()) shared_->Release(business_id, lease);
  ReleaseLocal(business_id);
}

void StreamSlots::ReleaseLocal(const std::string& business_id) {
  std::lock_guard lock(mu_);
  auto it = open_.find(business_id);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

std::optional<http::Response> CheckBusinessRate(const Deps& deps, const std::string& business_id) {
  if (!deps.options.limiter) return std::nullopt;
  RateDecision d =
      deps.options.limiter->Check("chat|business|" + business_id, deps.options.per_business);
  if (d.allowed) return std::nullopt;
  http::Response r = http::Problem(429, http::code::kRateLimited,
                                   "this business's bot is answering too many messages; retry in " +
                                       std::to_string(d.retry_after_seconds) + " s");
  r.SetHeader("Retry-After", std::to_string(std::max<std::int64_t>(1, d.retry_after_seconds)));
  return r;
}

std::variant<PublicBusiness, http::Response> FindBySlug(const Deps& deps, const std::string& slug) {
  business::v1::LocateRequest req;
  req.set_slug(slug);
  auto where = deps.businesses.Locate(req);
  if (!where.ok()) {
    if (where.status().code() == StatusCode::kNotFound ||
        where.status().code() == StatusCode::kInvalidArgument) {
      return http::Problem(404, http::code::kNotFound, "business not found");
    }
    return http::ProblemFromStatus(where.status());
  }
  return PublicBusiness{where->org_id(), where->business_id()};
}

http::Route PublicRoute(std::string method, std::string path, std::string operation_id,
                        std::string summary) {
  http::Route r = MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                               std::move(summary), "Chat", http::AuthPolicy::kPublic, "");
  r.rate_class = http::RateClass::kPublicChat;
  r.max_body_bytes = kChatBodyBytes;
  return r;
}

namespace {
// Text from documents may hold invalid UTF-8; it is replaced rather than failing the answer.
std::string Utf8Safe(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}
json SafeString(const std::string& s) { return json::parse(Utf8Safe(s)); }
}  // namespace

json CitationsJson(const google::protobuf::RepeatedPtrField<chatbot::v1::Citation>& citations) {
  json out = json::array();
  for (const auto& c : citations) {
    out.push_back({{"source_type", c.source_type()},
                   {"source_id", c.source_id()},
                   {"title", SafeString(c.title())},
                   {"snippet", SafeString(c.snippet())}});
  }
  return out;
}

json MetaJson(const chatbot::v1::ChatResponse& r) {
  return {{"conversation_id", r.conversation_id()},
          {"conversation_token", r.conversation_token()},
          {"message_id", r.message_id()},
          {"language", r.language()}};
}

namespace {
// The fields of the `done` event, also part of the whole JSON answer.
void AddDoneFields(const chatbot::v1::ChatResponse& r, json& out) {
  out["message_id"] = r.message_id();
  out["tier"] = r.tier();
  out["confidence"] = r.confidence();
  out["citations"] = CitationsJson(r.citations());
  out["handoff"] = r.handoff();
  out["fallback"] = r.fallback();
  out["cached"] = r.cached();
}
}  // namespace

json DoneJson(const chatbot::v1::ChatResponse& r) {
  json out = json::object();
  AddDoneFields(r, out);
  return out;
}

json ChatResponseJson(const chatbot::v1::ChatResponse& r) {
  json out = MetaJson(r);
  AddDoneFields(r, out);
  out["answer"] = SafeString(r.answer());
  return out;
}

json ConversationJson(const chatbot::v1::Conversation& c) {
  return {{"id", c.id()},
          {"business_id", c.business_id()},
          {"visitor_id", OptionalText(c.visitor_id())},
          {"status", c.status()},
          {"low_confidence_streak", c.low_confidence_streak()},
          {"message_count", c.message_count()},
          {"created_at", FormatTimestamp(c.created_at_ms())},
          {"updated_at", FormatTimestamp(c.updated_at_ms())}};
}

json MessageJson(const chatbot::v1::Message& m) {
  const bool bot = m.role() == "bot";
  return {{"id", m.id()},
          {"conversation_id", m.conversation_id()},
          {"role", m.role()},
          {"text", SafeString(m.text())},
          {"tier", bot ? json(m.tier()) : json(nullptr)},
          {"confidence", bot ? json(m.confidence()) : json(nullptr)},
          {"citations", CitationsJson(m.citations())},
          {"usage",
           {{"prompt_tokens", m.prompt_tokens()}, {"completion_tokens", m.completion_tokens()}}},
          {"latency_ms", m.latency_ms()},
          {"fallback", m.fallback()},
          {"cached", m.cached()},
          {"author_id", OptionalText(m.author_id())},
          {"feedback", OptionalText(m.feedback())},
          {"created_at", FormatTimestamp(m.created_at_ms())}};
}

json BotJson(const chatbot::v1::BotSettings& b) {
  return {{"business_id", b.business_id()},
          {"persona", b.persona()},
          {"greeting", b.greeting()},
          {"language", OptionalText(b.language())},
          {"thresholds",
           {{"direct", b.thresholds().direct()},
            {"grounded", b.thresholds().grounded()},
            {"deep", b.thresholds().deep()}}},
          {"llm",
           {{"base_url", OptionalText(b.llm().base_url())},
            {"model", OptionalText(b.llm().model())},
            {"api_key_set", b.llm().api_key_set()},
            {"temperature", b.llm().temperature()},
            {"max_tokens", b.llm().max_tokens()},
            {"timeout_ms", b.llm().timeout_ms()}}},
          {"daily_budget", MoneyJson(b.daily_budget())},
          {"deflection_message", b.deflection_message()},
          {"handoff",
           {{"enabled", b.handoff().enabled()},
            {"after_low_confidence_turns", b.handoff().after_low_confidence_turns()}}},
          {"updated_at", b.updated_at_ms() ? json(FormatTimestamp(b.updated_at_ms())) : json()}};
}

const char kCitationsSchema[] = R"({"type": "array", "items": {"type": "object",
  "required": ["source_type", "source_id", "title", "snippet"], "properties": {
    "source_type": {"type": "string", "enum": ["faq", "document", "product", "profile"]},
    "source_id": {"type": "string"}, "title": {"type": "string"},
    "snippet": {"type": "string"}}}})";

const char kChatResponseSchema[] = R"({"type": "object",
  "required": ["conversation_id", "conversation_token", "message_id", "answer", "tier",
               "confidence", "citations", "handoff"],
  "properties": {
    "conversation_id": {"type": "string"},
    "conversation_token": {"type": "string", "description": "Send it back with conversation_id to continue this conversation."},
    "message_id": {"type": "string", "description": "The bot's message (feedback goes to it); while the conversation is with a human, the customer's message."},
    "answer": {"type": "string", "description": "Empty while a human has the conversation."},
    "tier": {"type": "integer", "minimum": 1, "maximum": 4, "description": "1 FAQ answered directly, 2 LLM on the top 2 sources, 3 LLM on the top 4, 4 deflection or hand-off notice."},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "citations": {"type": "array", "items": {"type": "object"}},
    "handoff": {"type": "boolean", "description": "A human has the conversation; the bot stays silent until released."},
    "fallback": {"type": "boolean", "description": "The LLM failed, timed out or the daily budget is spent: the answer is the best source's text."},
    "cached": {"type": "boolean"},
    "language": {"type": "string", "enum": ["id", "en"]}}})";

const char kConversationSchema[] = R"({"type": "object",
  "required": ["id", "business_id", "status", "message_count", "created_at", "updated_at"],
  "properties": {
    "id": {"type": "string"}, "business_id": {"type": "string"},
    "visitor_id": {"type": ["string", "null"]},
    "status": {"type": "string", "enum": ["open", "handed_off", "closed"]},
    "low_confidence_streak": {"type": "integer"}, "message_count": {"type": "integer"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}}})";

const char kMessageSchema[] = R"({"type": "object",
  "required": ["id", "conversation_id", "role", "text", "created_at"],
  "properties": {
    "id": {"type": "string"}, "conversation_id": {"type": "string"},
    "role": {"type": "string", "enum": ["customer", "bot", "agent"]},
    "text": {"type": "string"},
    "tier": {"type": ["integer", "null"]}, "confidence": {"type": ["number", "null"]},
    "citations": {"type": "array", "items": {"type": "object"}},
    "usage": {"type": "object", "properties": {"prompt_tokens": {"type": "integer"},
              "completion_tokens": {"type": "integer"}}},
    "latency_ms": {"type": "integer"}, "fallback": {"type": "boolean"},
    "cached": {"type": "boolean"}, "author_id": {"type": ["string", "null"]},
    "feedback": {"type": ["string", "null"], "enum": ["up", "down", null]},
    "created_at": {"type": "string", "format": "date-time"}}})";

const char kBotSchema[] = R"({"type": "object", "properties": {
    "persona": {"type": "string", "maxLength": 4000, "description": "Who the bot is, in the system prompt."},
    "greeting": {"type": "string", "maxLength": 1000},
    "language": {"type": ["string", "null"], "enum": ["id", "en", null], "description": "Default answer language; null → the business's. Customers get answers in the language they write in."},
    "thresholds": {"type": "object", "description": "deep <= grounded <= direct, each in [0, 1].", "properties": {
      "direct": {"type": "number", "default": 0.85}, "grounded": {"type": "number", "default": 0.60},
      "deep": {"type": "number", "default": 0.30}}},
    "llm": {"type": "object", "properties": {
      "base_url": {"type": ["string", "null"], "description": "OpenAI-compatible base URL; null → no LLM, tiers 2-3 answer extractively."},
      "model": {"type": ["string", "null"]},
      "api_key": {"type": ["string", "null"], "writeOnly": true, "description": "Stored sealed, never returned; null or \"\" removes it, absent keeps it."},
      "api_key_set": {"type": "boolean", "readOnly": true},
      "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 0.2},
      "max_tokens": {"type": "integer", "minimum": 1, "maximum": 8192, "default": 512},
      "timeout_ms": {"type": "integer", "minimum": 500, "maximum": 120000, "default": 8000}}},
    "daily_budget": {"type": "object", "description": "LLM spend per Asia/Jakarta day (default Rp 100.000); once spent, tiers 2-3 answer extractively and chatbot.budget.exhausted is emitted once. Amount 0: no LLM calls.",
      "properties": {"amount": {"type": "integer", "minimum": 0}, "currency": {"type": "string"}}},
    "deflection_message": {"type": "string", "maxLength": 1000, "description": "Tier 4's answer; empty → a polite default."},
    "handoff": {"type": "object", "properties": {
      "enabled": {"type": "boolean", "default": true},
      "after_low_confidence_turns": {"type": "integer", "minimum": 0, "maximum": 50, "default": 3}}},
    "business_id": {"type": "string", "readOnly": true},
    "updated_at": {"type": ["string", "null"], "format": "date-time", "readOnly": true}}})";

}  // namespace chatbot_routes

Status RegisterChatbotRoutes(http::Router& router, org::OrgService& orgs,
                             business::BusinessService& businesses,
                             chatbot::ChatbotService& chatbot, ChatRouteOptions options) {
  const chatbot_routes::Deps deps{orgs,
                                  businesses,
                                  chatbot,
                                  options,
                                  std::make_shared<chatbot_routes::StreamSlots>(
                                      options.max_streams_per_business, options.shared_slots),
                                  std::make_shared<chatbot_routes::ConversationSockets>()};
  if (options.relay) {
    // Replies published by any replica reach the sockets this one holds.
    options.relay->OnFrame(
        [sockets = deps.sockets](std::string_view conversation_id, std::string_view frame) {
          sockets->Deliver(std::string(conversation_id), std::string(frame));
        });
  }
  MH_TRY(chatbot_routes::RegisterPublicChatRoutes(router, deps));
  MH_TRY(chatbot_routes::RegisterBotOwnerRoutes(router, deps));
  return chatbot_routes::RegisterOpenAiRoutes(router, deps);
}

}  // namespace milkyhoop::gateway
